// Draws the annotations on one canvas over OpenSeadragon. Only what is in view is drawn (rbush query);
// when more than DETAIL_LIMIT shapes would be in view, a density heat map (one drawImage of the grid)
// stands in for them. Boxes (and shapes shrunk to dots) are drawn one strokeRect each, every other
// shape goes into one Path2D per type colour; only the selected shape gets editing handles.
import { VectorType } from '@tessera/shared';
import type { AnnotationIndex, IndexedAnnotation } from './annotation-index';
import { handlesOf, isClosed, simplify, type Point, type Rect } from './geometry';
import type { Collaborator } from './presence';
import { drawVerdictMarks, type VerdictMark } from './verdict-marks';

/** Above this many shapes in view, the heat map is drawn instead (frame time stays bounded). */
export const DETAIL_LIMIT = 6000;

/** Image pixels to canvas CSS pixels: screen = image * scale + offset. */
export interface ViewTransform {
  scale: number;
  offsetX: number;
  offsetY: number;
  /** Canvas size in CSS pixels. */
  width: number;
  height: number;
}

export interface TypeStyle {
  color: string;
  vectorType: number;
}

/**
 * How one shape is drawn: solid in its type's colour, dashed as an algorithm's proposal, dashed grey as
 * a rejected proposal, or not at all.
 */
export type ShapeLook = 'solid' | 'proposal' | 'rejected' | 'hidden';

/** Annotations of another document drawn under the scene's own (readers' copies in a blind set). */
export interface OverlayLayer {
  index: AnnotationIndex;
  /** One colour for all of its shapes; null: each type's colour. */
  color: string | null;
}

/**
 * Counts of annotations not in the scene's index, on the index's density cells: the regions of an
 * image with regions whose documents are not open (region-density.ts, G4).
 */
export interface ExtraDensity {
  readonly counts: Uint32Array;
  readonly version: number;
  estimateIn(rect: Rect): number;
}

export interface Scene {
  index: AnnotationIndex;
  /** Counted in the estimate and drawn in the heat map, never as shapes. */
  extraDensity?: ExtraDensity | null;
  /** Drawn first, in order, in detail only (never selected or edited). */
  layers?: readonly OverlayLayer[];
  styles: ReadonlyMap<number, TypeStyle>;
  frame: number | null;
  selected: ReadonlySet<string>;
  /** The one selected shape, edited with handles (its points may be a drag in progress). */
  editing: { vectorType: number; points: Point[] } | null;
  draft: { vectorType: number; points: Point[]; color: string } | null;
  /** A measured line (ruler, a line being drawn, the selected line) and its length as text. */
  measure?: { points: Point[]; text: string } | null;
  /** A brush stroke being painted (radius in image pixels). */
  stroke?: { points: Point[]; radius: number; erase: boolean } | null;
  /** The brush's outline under the pointer. */
  brush?: { at: Point; radius: number } | null;
  selectionRect: Rect | null;
  collaborators: readonly Collaborator[];
  /** How each shape is drawn (all solid when absent). */
  look?: (shape: IndexedAnnotation) => ShapeLook;
  /** The review badge of an annotation, if it has one (verdict-marks.ts). */
  mark?: (a: IndexedAnnotation) => VerdictMark | null;
}

/** The image rectangle a view shows. */
export function visibleRect(view: ViewTransform): Rect {
  return {
    minX: -view.offsetX / view.scale,
    minY: -view.offsetY / view.scale,
    maxX: (view.width - view.offsetX) / view.scale,
    maxY: (view.height - view.offsetY) / view.scale,
  };
}

/** Draws frames of the annotation canvas; keeps the heat map image between frames. */
export class OverlayRenderer {
  private heat: HTMLCanvasElement | null = null;
  private heatVersion = '';
  /** What the last frame drew: "detail" or "density", and how many shapes (for tests and the bench). */
  lastFrame = { mode: 'detail' as 'detail' | 'density', shapes: 0, layerShapes: 0 };

  /** Draws a whole frame. */
  draw(ctx: CanvasRenderingContext2D, view: ViewTransform, scene: Scene, dpr: number): void {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    const toImage = (): void => {
      ctx.setTransform(view.scale * dpr, 0, 0, view.scale * dpr, view.offsetX * dpr, view.offsetY * dpr);
    };
    toImage();
    const rect = visibleRect(view);
    const pixel = 1 / view.scale;
    let layerShapes = 0;
    for (const layer of scene.layers ?? []) {
      const shapes = layer.index.search(rect, scene.frame);
      this.drawShapes(ctx, shapes, scene, pixel, layer.color);
      layerShapes += shapes.length;
    }
    const estimate = scene.index.estimateIn(rect) + (scene.extraDensity?.estimateIn(rect) ?? 0);
    if (estimate > DETAIL_LIMIT) {
      this.drawDensity(ctx, scene.index, scene.extraDensity ?? null);
      this.lastFrame = { mode: 'density', shapes: 0, layerShapes };
      const selected = [...scene.selected].map((id) => scene.index.get(id)).filter((a) => a !== undefined);
      this.drawShapes(ctx, selected, scene, pixel);
    } else {
      const shapes = scene.index.search(rect, scene.frame);
      this.drawShapes(ctx, shapes, scene, pixel);
      if (scene.mark !== undefined) drawVerdictMarks(ctx, shapes, scene.mark, pixel);
      this.lastFrame = { mode: 'detail', shapes: shapes.length, layerShapes };
    }
    if (scene.editing !== null) drawHandles(ctx, scene.editing, pixel);
    if (scene.draft !== null) {
      ctx.setLineDash([6 * pixel, 4 * pixel]);
      strokeOne(ctx, scene.draft.vectorType, scene.draft.points, scene.draft.color, 2 * pixel, pixel);
      ctx.setLineDash([]);
    }
    drawBrush(ctx, scene, pixel);
    if (scene.measure != null) drawMeasure(ctx, scene.measure, pixel);
    if (scene.selectionRect !== null) {
      const r = scene.selectionRect;
      ctx.fillStyle = 'rgba(80, 140, 255, 0.12)';
      ctx.fillRect(r.minX, r.minY, r.maxX - r.minX, r.maxY - r.minY);
      ctx.strokeStyle = '#508cff';
      ctx.lineWidth = pixel;
      ctx.strokeRect(r.minX, r.minY, r.maxX - r.minX, r.maxY - r.minY);
    }
    drawCollaborators(ctx, view, scene, dpr);
  }

  private drawShapes(
    ctx: CanvasRenderingContext2D,
    shapes: readonly IndexedAnnotation[],
    scene: Scene,
    pixel: number,
    layerColor: string | null = null,
  ): void {
    const batches = new Map<string, ColourBatch>();
    const selectedPath = new Path2D();
    for (const shape of shapes) {
      const look = scene.look?.(shape) ?? 'solid';
      if (look === 'hidden') continue;
      const style = scene.styles.get(shape.record.type);
      const color = look === 'rejected' ? REJECTED_COLOR : (layerColor ?? style?.color ?? '#888888');
      const key = look === 'solid' ? color : `${look} ${color}`;
      let batch = batches.get(key);
      if (batch === undefined)
        batches.set(key, (batch = { color, dashed: look !== 'solid', rects: [], path: null }));
      const vectorType = style?.vectorType ?? VectorType.polygon;
      if (strokesAsRect(vectorType, shape, pixel)) batch.rects.push(shape);
      else traceShape((batch.path ??= new Path2D()), vectorType, shape, pixel);
      if (scene.selected.has(shape.id)) traceShape(selectedPath, vectorType, shape, pixel);
    }
    ctx.lineWidth = 2 * pixel;
    for (const batch of batches.values()) {
      ctx.strokeStyle = batch.color;
      ctx.setLineDash(batch.dashed ? [6 * pixel, 4 * pixel] : []);
      // One strokeRect per box rather than one path of them all: the software rasteriser (no GPU)
      // strokes a lone rectangle on a fast path, and a path of thousands of rectangles as a general
      // path, which took 20-30 ms a frame at 5,000 boxes (bench/client, 300 px region).
      for (const shape of batch.rects) {
        const pad = isDot(shape, pixel) ? pixel : 0;
        const { minX, minY, maxX, maxY } = shape;
        ctx.strokeRect(minX - pad, minY - pad, maxX - minX + 2 * pad, maxY - minY + 2 * pad);
      }
      if (batch.path !== null) ctx.stroke(batch.path);
    }
    ctx.setLineDash([]);
    if (scene.selected.size > 0) {
      ctx.fillStyle = 'rgba(255, 255, 255, 0.25)';
      ctx.fill(selectedPath);
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 3 * pixel;
      ctx.setLineDash([5 * pixel, 3 * pixel]);
      ctx.stroke(selectedPath);
      ctx.setLineDash([]);
    }
  }

  /** The density grid as one image, rebuilt only when the annotations changed. */
  private drawDensity(
    ctx: CanvasRenderingContext2D,
    index: AnnotationIndex,
    extra: ExtraDensity | null,
  ): void {
    const { cols, rows, cell } = index.density;
    const version = `${index.version}:${extra?.version ?? -1}`;
    if (this.heat === null || this.heatVersion !== version) {
      const counts =
        extra === null
          ? index.density.counts
          : index.density.counts.map((n, i) => n + (extra.counts[i] ?? 0));
      this.heat ??= document.createElement('canvas');
      this.heat.width = cols;
      this.heat.height = rows;
      const heatCtx = this.heat.getContext('2d');
      if (heatCtx === null) return;
      const pixels = heatCtx.createImageData(cols, rows);
      let max = 1;
      for (const n of counts) if (n > max) max = n;
      counts.forEach((n, i) => {
        if (n === 0) return;
        const t = Math.sqrt(n / max);
        pixels.data[i * 4] = 255;
        pixels.data[i * 4 + 1] = Math.round(200 * (1 - t));
        pixels.data[i * 4 + 2] = 0;
        pixels.data[i * 4 + 3] = Math.round(90 + 140 * t);
      });
      heatCtx.putImageData(pixels, 0, 0);
      this.heatVersion = version;
    }
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.heat, 0, 0, cols * cell, rows * cell);
  }
}

/** The outline colour of rejected proposals (shown only when asked for). */
const REJECTED_COLOR = '#9a9a9a';

/** The shapes of one colour and line: those drawn as their bounding box, and one path of the others. */
interface ColourBatch {
  color: string;
  dashed: boolean;
  rects: IndexedAnnotation[];
  path: Path2D | null;
}

/** Whether a shape is smaller than ~2 screen pixels: drawn as a dot (a square around it). */
function isDot(shape: IndexedAnnotation, pixel: number): boolean {
  return shape.maxX - shape.minX < 2 * pixel && shape.maxY - shape.minY < 2 * pixel;
}

/** Whether a shape strokes as its bounding box (a dot, or a box: its two points are the corners). */
function strokesAsRect(vectorType: number, shape: IndexedAnnotation, pixel: number): boolean {
  const box = vectorType === VectorType.box || vectorType === VectorType.fixedBox;
  return (box && shape.points.length === 2) || isDot(shape, pixel);
}

/** Adds one shape to a path; shapes smaller than ~2 screen pixels become a dot. */
function traceShape(path: Path2D, vectorType: number, shape: IndexedAnnotation, pixel: number): void {
  const w = shape.maxX - shape.minX;
  const h = shape.maxY - shape.minY;
  if (isDot(shape, pixel)) {
    path.rect(shape.minX - pixel, shape.minY - pixel, 2 * pixel + w, 2 * pixel + h);
    return;
  }
  tracePoints(path, vectorType, shape.points, pixel);
}

function tracePoints(path: Path2D, vectorType: number, points: readonly Point[], pixel: number): void {
  const [a, b] = points;
  if (a === undefined) return;
  if (vectorType === VectorType.circle && b !== undefined) {
    path.moveTo(b.x, (a.y + b.y) / 2);
    path.ellipse((a.x + b.x) / 2, (a.y + b.y) / 2, (b.x - a.x) / 2, (b.y - a.y) / 2, 0, 0, 2 * Math.PI);
    return;
  }
  if ((vectorType === VectorType.box || vectorType === VectorType.fixedBox) && b !== undefined) {
    path.rect(a.x, a.y, b.x - a.x, b.y - a.y);
    return;
  }
  const line = simplify(points, pixel);
  const [first, ...rest] = line;
  if (first === undefined) return;
  path.moveTo(first.x, first.y);
  for (const p of rest) path.lineTo(p.x, p.y);
  if (isClosed(vectorType)) path.closePath();
}

function strokeOne(
  ctx: CanvasRenderingContext2D,
  vectorType: number,
  points: readonly Point[],
  color: string,
  width: number,
  pixel: number,
): void {
  const path = new Path2D();
  tracePoints(path, vectorType, points, pixel);
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.stroke(path);
}

/** The stroke being painted (red while erasing) and the brush's circle under the pointer. */
function drawBrush(ctx: CanvasRenderingContext2D, scene: Scene, pixel: number): void {
  const stroke = scene.stroke;
  if (stroke != null && stroke.points.length > 0) {
    const path = new Path2D();
    stroke.points.forEach((p, i) => {
      if (i === 0) path.moveTo(p.x, p.y);
      else path.lineTo(p.x, p.y);
    });
    if (stroke.points.length === 1) path.lineTo((stroke.points[0]?.x ?? 0) + 0.01, stroke.points[0]?.y ?? 0);
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.lineWidth = 2 * stroke.radius;
    ctx.strokeStyle = stroke.erase ? 'rgba(230, 60, 60, 0.35)' : 'rgba(80, 140, 255, 0.35)';
    ctx.stroke(path);
    ctx.lineCap = 'butt';
    ctx.lineJoin = 'miter';
  }
  if (scene.brush != null) {
    ctx.beginPath();
    ctx.arc(scene.brush.at.x, scene.brush.at.y, scene.brush.radius, 0, 2 * Math.PI);
    ctx.lineWidth = 1.5 * pixel;
    ctx.strokeStyle = '#ffffff';
    ctx.stroke();
  }
}

/** A measured line with its length written at its end, on a dark plate so it reads on any tissue. */
function drawMeasure(
  ctx: CanvasRenderingContext2D,
  measure: { points: Point[]; text: string },
  pixel: number,
): void {
  const path = new Path2D();
  tracePoints(path, VectorType.multiLine, measure.points, pixel);
  ctx.strokeStyle = '#ffd400';
  ctx.lineWidth = 2 * pixel;
  ctx.stroke(path);
  const end = measure.points[measure.points.length - 1];
  if (end === undefined) return;
  ctx.font = `${13 * pixel}px system-ui, sans-serif`;
  const width = ctx.measureText(measure.text).width;
  const x = end.x + 10 * pixel;
  const y = end.y + 10 * pixel;
  ctx.fillStyle = 'rgba(0, 0, 0, 0.7)';
  ctx.fillRect(x - 4 * pixel, y - 13 * pixel, width + 8 * pixel, 18 * pixel);
  ctx.fillStyle = '#ffffff';
  ctx.fillText(measure.text, x, y);
}

function drawHandles(
  ctx: CanvasRenderingContext2D,
  shape: { vectorType: number; points: Point[] },
  pixel: number,
) {
  const size = 8 * pixel;
  ctx.fillStyle = '#ffffff';
  ctx.strokeStyle = '#1a1a1a';
  ctx.lineWidth = pixel;
  for (const h of handlesOf(shape.vectorType, shape.points)) {
    ctx.fillRect(h.x - size / 2, h.y - size / 2, size, size);
    ctx.strokeRect(h.x - size / 2, h.y - size / 2, size, size);
  }
}

/** Other users' viewports (outlines) and cursors, each with their name in their colour. */
function drawCollaborators(ctx: CanvasRenderingContext2D, view: ViewTransform, scene: Scene, dpr: number) {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.font = '12px system-ui, sans-serif';
  const toScreen = (x: number, y: number) => ({
    x: x * view.scale + view.offsetX,
    y: y * view.scale + view.offsetY,
  });
  for (const c of scene.collaborators) {
    if (scene.frame !== null && c.frame !== null && c.frame !== scene.frame) continue;
    ctx.strokeStyle = c.user.color;
    ctx.fillStyle = c.user.color;
    if (c.viewport !== null) {
      const a = toScreen(c.viewport.minX, c.viewport.minY);
      const b = toScreen(c.viewport.maxX, c.viewport.maxY);
      ctx.lineWidth = 1.5;
      ctx.setLineDash([4, 4]);
      ctx.strokeRect(a.x, a.y, b.x - a.x, b.y - a.y);
      ctx.setLineDash([]);
      ctx.fillText(c.user.name, a.x + 4, a.y + 14);
    }
    if (c.cursor !== null) {
      const p = toScreen(c.cursor.x, c.cursor.y);
      ctx.beginPath();
      ctx.moveTo(p.x, p.y);
      ctx.lineTo(p.x + 4, p.y + 14);
      ctx.lineTo(p.x + 10, p.y + 9);
      ctx.closePath();
      ctx.fill();
      ctx.fillText(c.user.name, p.x + 12, p.y + 20);
    }
  }
}
