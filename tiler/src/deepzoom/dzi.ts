// The .dzi descriptor, byte for byte what openslide-python's DeepZoomGenerator.get_dzi() returns
// (ElementTree writes no XML declaration for UTF-8, keeps attribute order, self-closes Size).

/** Tile formats a DZI can announce. */
export type DziFormat = 'jpeg' | 'png';

/** What a DZI describes: the full-resolution size and the tiling. */
export interface DziDescription {
  readonly width: number;
  readonly height: number;
  readonly tileSize: number;
  readonly overlap: number;
}

/** Builds the DZI XML for a pyramid, as openslide-python's get_dzi(format). */
export function dziXml(
  { width, height, tileSize, overlap }: DziDescription,
  format: DziFormat = 'jpeg',
): string {
  return (
    `<Image TileSize="${tileSize}" Overlap="${overlap}" Format="${format}" ` +
    `xmlns="http://schemas.microsoft.com/deepzoom/2008"><Size Width="${width}" Height="${height}" /></Image>`
  );
}
