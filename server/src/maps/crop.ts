// The square of an image a map cell shows: the annotation's bounding box with context around it, moved
// (not cut) to stay inside the image where the image is large enough.

/** An annotation's bounding box in level-0 pixels. */
export interface BoundingBox {
  readonly xMin: number;
  readonly yMin: number;
  readonly xMax: number;
  readonly yMax: number;
}

/** A square crop in level-0 pixels: its top-left corner and side. */
export interface CropSquare {
  readonly x: number;
  readonly y: number;
  readonly side: number;
}

/** How much of the image around an annotation a cell shows. */
export interface CropOptions {
  /** Context on each side, as a fraction of the box's longer side (0.5: the box fills half the cell). */
  readonly context: number;
  /** The smallest side of a crop (points and tiny boxes still show their surroundings). */
  readonly minSide: number;
}

/**
 * The crop of `box` in an image of `width` x `height`: a square around the box's centre whose side is
 * the box's longer side plus the context on both sides (at least `minSide`). At an edge the square is
 * shifted back inside the image, so the cell shows image, not background; an image narrower than the
 * square keeps it centred (background beyond the image is unavoidable then).
 */
export function cropSquare(
  box: BoundingBox,
  width: number,
  height: number,
  options: CropOptions,
): CropSquare {
  const longer = Math.max(box.xMax - box.xMin, box.yMax - box.yMin, 0);
  const side = Math.max(options.minSide, Math.ceil(longer * (1 + 2 * options.context)));
  const centreX = (box.xMin + box.xMax) / 2;
  const centreY = (box.yMin + box.yMax) / 2;
  return {
    x: placeInside(Math.round(centreX - side / 2), side, width),
    y: placeInside(Math.round(centreY - side / 2), side, height),
    side,
  };
}

function placeInside(start: number, side: number, size: number): number {
  if (side >= size) return Math.round((size - side) / 2);
  return Math.min(Math.max(start, 0), size - side);
}

/** Where `box` lies inside a cell of `cellSize` pixels showing `crop` (for outlining the annotation). */
export function boxInCell(box: BoundingBox, crop: CropSquare, cellSize: number): BoundingBox {
  const scale = cellSize / crop.side;
  return {
    xMin: (box.xMin - crop.x) * scale,
    yMin: (box.yMin - crop.y) * scale,
    xMax: (box.xMax - crop.x) * scale,
    yMax: (box.yMax - crop.y) * scale,
  };
}
