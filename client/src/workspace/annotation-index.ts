// The annotations of the open image as the canvas and the list need them: parsed once per change,
// in an R-tree (rbush) for viewport queries and hit tests, and counted in a coarse density grid that
// answers "how many are in view" without touching the tree and feeds the zoomed-out heat map.
import RBush from 'rbush';
import type { AnnotationRecord } from '@tessera/shared';
import { intersects, pointsOf, rectOf, type Point, type Rect } from './geometry';

/** One live (not deleted) annotation with its geometry. */
export interface IndexedAnnotation extends Rect {
  readonly id: string;
  readonly record: AnnotationRecord;
  readonly points: Point[];
  /** The frame the vector names, or null (shown on every frame). */
  readonly frame: number | null;
}

/** Cells per side of the density grid (the heat map's resolution when zoomed out). */
export const DENSITY_CELLS = 256;

/** Counts of annotations per cell of a grid laid over the image. */
export interface DensityGrid {
  readonly cols: number;
  readonly rows: number;
  /** Cell edge in image pixels. */
  readonly cell: number;
  readonly counts: Uint32Array;
}

/** The open image's live annotations: by id, in an R-tree, and counted per density cell. */
export class AnnotationIndex {
  private readonly loaded = new RBush<IndexedAnnotation>(16);
  /**
   * Shapes of the last `reset` not yet loaded into the tree. The first frame of a large image is
   * usually the density map, which needs only the grid: the tree is built when first asked for
   * (a search, a change) or when the caller has a moment (`buildTree`), not before that frame.
   */
  private unloaded: IndexedAnnotation[] | null = null;
  private readonly byId = new Map<string, IndexedAnnotation>();
  /** Image-level labels (no vector): never in the tree. */
  private readonly labels = new Map<string, IndexedAnnotation>();
  readonly density: DensityGrid;
  /** Grows with every change, so views know when to redraw or recount. */
  version = 0;
  /** The live algorithm proposals (`generated`), kept apart so their panel never walks every annotation. */
  private readonly generated = new Map<string, IndexedAnnotation>();

  constructor(imageWidth: number, imageHeight: number) {
    const cell = Math.max(1, Math.ceil(Math.max(imageWidth, imageHeight) / DENSITY_CELLS));
    const cols = Math.max(1, Math.ceil(imageWidth / cell));
    const rows = Math.max(1, Math.ceil(imageHeight / cell));
    this.density = { cols, rows, cell, counts: new Uint32Array(cols * rows) };
  }

  /** Replaces the whole content (bulk-loading the tree is several times faster than inserts). */
  reset(records: Iterable<[string, AnnotationRecord]>): void {
    this.loaded.clear();
    this.byId.clear();
    this.labels.clear();
    this.generated.clear();
    this.density.counts.fill(0);
    const shapes: IndexedAnnotation[] = [];
    for (const [id, record] of records) {
      const item = toItem(id, record);
      if (item === null) continue;
      this.remember(item);
      if (item.points.length > 0) shapes.push(item);
    }
    this.unloaded = shapes;
    this.version++;
  }

  /** Whether the tree still waits for the shapes of the last `reset`. */
  get treePending(): boolean {
    return this.unloaded !== null;
  }

  /** Loads the shapes of the last `reset` into the tree, if that is still to do. */
  buildTree(): void {
    if (this.unloaded === null) return;
    this.loaded.load(this.unloaded);
    this.unloaded = null;
  }

  private get tree(): RBush<IndexedAnnotation> {
    this.buildTree();
    return this.loaded;
  }

  /**
   * Adds the annotations of one more document (an image with regions holds several in one index):
   * new shapes go into the tree in one bulk load, known ids are updated one by one.
   */
  addMany(records: Iterable<[string, AnnotationRecord]>): void {
    const shapes: IndexedAnnotation[] = [];
    for (const [id, record] of records) {
      if (this.byId.has(id)) {
        this.set(id, record);
        continue;
      }
      const item = toItem(id, record);
      if (item === null) continue;
      this.remember(item);
      if (item.points.length > 0) shapes.push(item);
    }
    if (this.unloaded !== null) this.unloaded.push(...shapes);
    else if (shapes.length > 0) this.loaded.load(shapes);
    this.version++;
  }

  /** Applies one annotation's new state; null or deleted removes it. */
  set(id: string, record: AnnotationRecord | null): void {
    const old = this.byId.get(id);
    if (old !== undefined) {
      this.byId.delete(id);
      this.labels.delete(id);
      this.generated.delete(id);
      if (old.points.length > 0) {
        this.tree.remove(old);
        this.count(old, -1);
      }
    }
    const item = record === null ? null : toItem(id, record);
    if (item !== null) {
      this.remember(item);
      if (item.points.length > 0) this.tree.insert(item);
    }
    this.version++;
  }

  get(id: string): IndexedAnnotation | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.byId.size;
  }

  /** Every live annotation, labels included. */
  all(): IterableIterator<IndexedAnnotation> {
    return this.byId.values();
  }

  /** How many live annotations are algorithm proposals. */
  get generatedCount(): number {
    return this.generated.size;
  }

  /** The live algorithm proposals only (their summary costs their number, not the image's). */
  proposals(): IterableIterator<IndexedAnnotation> {
    return this.generated.values();
  }

  /** The image-level labels. */
  imageLabels(): IndexedAnnotation[] {
    return [...this.labels.values()];
  }

  /** Shapes overlapping `rect` on `frame` (shapes without a frame show on every frame). */
  search(rect: Rect, frame: number | null): IndexedAnnotation[] {
    const found = this.tree.search(rect);
    return frame === null ? found : found.filter((a) => a.frame === null || a.frame === frame);
  }

  /** About how many shapes lie in `rect`: the counts of the grid cells it covers (an upper bound). */
  estimateIn(rect: Rect): number {
    return countIn(this.density, this.density.counts, rect);
  }

  /** The live annotations whose bounding box lies in `rect` (rectangle selection). */
  within(rect: Rect, frame: number | null): IndexedAnnotation[] {
    return this.search(rect, frame).filter(
      (a) =>
        a.minX >= rect.minX &&
        a.maxX <= rect.maxX &&
        a.minY >= rect.minY &&
        a.maxY <= rect.maxY &&
        intersects(a, rect),
    );
  }

  private remember(item: IndexedAnnotation): void {
    this.byId.set(item.id, item);
    if (item.record.created.generated) this.generated.set(item.id, item);
    if (item.points.length === 0) this.labels.set(item.id, item);
    else this.count(item, 1);
  }

  /** Counts a shape in the cell of its centre. */
  private count(item: IndexedAnnotation, delta: 1 | -1): void {
    const { cols, rows, cell, counts } = this.density;
    const c = clamp(Math.floor((item.minX + item.maxX) / 2 / cell), cols);
    const r = clamp(Math.floor((item.minY + item.maxY) / 2 / cell), rows);
    const i = r * cols + c;
    counts[i] = Math.max(0, (counts[i] ?? 0) + delta);
  }
}

/** The sum of `counts` (laid out on `grid`'s cells, row by row) over the cells `rect` covers. */
export function countIn(
  grid: Pick<DensityGrid, 'cols' | 'rows' | 'cell'>,
  counts: ArrayLike<number>,
  rect: Rect,
): number {
  const { cols, rows, cell } = grid;
  const c0 = clamp(Math.floor(rect.minX / cell), cols);
  const c1 = clamp(Math.floor(rect.maxX / cell), cols);
  const r0 = clamp(Math.floor(rect.minY / cell), rows);
  const r1 = clamp(Math.floor(rect.maxY / cell), rows);
  let total = 0;
  for (let r = r0; r <= r1; r++) {
    for (let c = c0; c <= c1; c++) total += counts[r * cols + c] ?? 0;
  }
  return total;
}

export function clamp(index: number, size: number): number {
  return Math.max(0, Math.min(size - 1, index));
}

function toItem(id: string, record: AnnotationRecord): IndexedAnnotation | null {
  if (record.deleted) return null;
  const points = pointsOf(record.vector);
  const rect = points.length > 0 ? rectOf(points) : { minX: 0, minY: 0, maxX: 0, maxY: 0 };
  const frame = record.vector?.['frame'] ?? null;
  return { id, record, points, frame, ...rect };
}
