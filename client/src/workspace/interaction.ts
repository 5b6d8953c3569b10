// The pointer and keyboard rules of the tools, in image coordinates and without DOM, so they are
// unit-tested. Select: click picks, drag moves the shape under the pointer (selected or not) or a
// handle of the selected one, drag on empty image pans, shift-drag selects by rectangle. Draw: the
// active type's geometry (drag a box, circle or line, or click to place one of the type's default
// size; click vertices of multi-lines and polygons, double-click or Enter to finish). Area: drag a
// rectangle to select everything inside it. Freehand: drag an outline. Brush: paint a stroke onto
// the selected polygon (Alt erases). Ruler: drag a measurement (shown, never stored).
import { VectorType } from '@tessera/shared';
import {
  corners,
  defaultShape,
  handleAt,
  handlesOf,
  isTwoCorner,
  moveHandle,
  translate,
  type Point,
  type Rect,
} from './geometry';

export type Tool = 'select' | 'draw' | 'area' | 'freehand' | 'brush' | 'ruler';

/** The tools that draw polygons whatever the active type's own geometry would be. */
export const POLYGON_TOOLS: readonly Tool[] = ['freehand', 'brush'];

/** The annotation type a draw tool makes. */
export interface DrawType {
  id: number;
  vectorType: number;
  /** Polygons of a fixed number of points finish by themselves (0: any). */
  nodeCount: number;
  width: number;
  height: number;
  color: string;
}

/** What the tools need from the workspace. */
export interface InteractionHost {
  activeType(): DrawType | null;
  /** The topmost annotation at a point (tolerance in image pixels), or null. */
  hitTest(p: Point, tolerance: number): string | null;
  selection(): ReadonlySet<string>;
  select(ids: readonly string[]): void;
  shapeOf(id: string): { vectorType: number; points: Point[] } | null;
  within(rect: Rect): string[];
  create(type: DrawType, points: Point[]): void;
  reshape(id: string, points: Point[]): void;
  /** A freehand outline was drawn (`pixel`: image pixels per screen pixel). */
  trace(type: DrawType, points: Point[], pixel: number): void;
  /** A brush stroke of `radius` image pixels was painted (or, with `erase`, erased). */
  paint(type: DrawType, path: Point[], radius: number, erase: boolean, pixel: number): void;
  readOnly(): boolean;
}

type Gesture =
  | { kind: 'none' }
  | { kind: 'pending-click'; at: Point; add: boolean }
  | { kind: 'drag-draw'; start: Point; current: Point; type: DrawType }
  | { kind: 'move'; id: string; start: Point; original: Point[]; points: Point[] }
  | { kind: 'trace'; type: DrawType; points: Point[]; pixel: number }
  | { kind: 'paint'; type: DrawType; points: Point[]; erase: boolean; pixel: number }
  | { kind: 'measure'; start: Point; current: Point }
  | { kind: 'handle'; id: string; index: number; original: Point[]; points: Point[] }
  | { kind: 'area'; start: Point; current: Point; add: boolean };

/** Pointer movement below this many screen pixels is a click, not a drag. */
export const CLICK_SLOP = 4;

/** The brush's radius in screen pixels: its default and its bounds ([ and ] change it). */
export const BRUSH_RADIUS = { initial: 12, min: 2, max: 200 } as const;

/** The state machine of the tools: one gesture at a time, plus the vertices of a shape being drawn. */
export class Interaction {
  tool: Tool = 'select';
  private gesture: Gesture = { kind: 'none' };
  /** Vertices of a multi-line or polygon being drawn. */
  private vertices: Point[] = [];
  private hover: Point | null = null;
  /** The last ruler measurement, shown until the next press, Escape or a change of tool. */
  private ruler: [Point, Point] | null = null;
  /** The brush's radius in screen pixels. */
  brushRadius: number = BRUSH_RADIUS.initial;

  constructor(private readonly host: InteractionHost) {}

  setTool(tool: Tool): void {
    this.cancel();
    this.tool = tool;
  }

  /** Drops a shape or gesture in progress (Escape). */
  cancel(): void {
    this.gesture = { kind: 'none' };
    this.vertices = [];
    this.ruler = null;
  }

  /** Grows (factor > 1) or shrinks the brush, within its bounds. */
  resizeBrush(factor: number): void {
    this.brushRadius = Math.min(BRUSH_RADIUS.max, Math.max(BRUSH_RADIUS.min, this.brushRadius * factor));
  }

  /**
   * A press at `p` (`pixel`: image pixels per screen pixel). Returns true when the tools take the
   * gesture, so the viewer must not pan.
   */
  press(p: Point, pixel: number, shift: boolean, alt = false): boolean {
    const readOnly = this.host.readOnly();
    this.ruler = null;
    if (this.tool === 'area' || (this.tool === 'select' && shift)) {
      this.gesture = { kind: 'area', start: p, current: p, add: shift };
      return true;
    }
    if (this.tool === 'ruler') {
      this.gesture = { kind: 'measure', start: p, current: p };
      return true;
    }
    if (this.tool !== 'select') return this.pressToDraw(p, pixel, alt, readOnly);
    const editing = this.editingId();
    const shape = editing === null ? null : this.host.shapeOf(editing);
    if (!readOnly && editing !== null && shape !== null) {
      const index = handleAt(handlesOf(shape.vectorType, shape.points), p, 6 * pixel);
      if (index >= 0) {
        this.gesture = { kind: 'handle', id: editing, index, original: shape.points, points: shape.points };
        return true;
      }
    }
    // Any shape under the pointer moves on drag, selected or not (a click still just selects it).
    const hit = readOnly ? null : this.host.hitTest(p, 4 * pixel);
    const target = hit === null ? null : this.host.shapeOf(hit);
    if (hit !== null && target !== null) {
      if (!this.host.selection().has(hit)) this.host.select([hit]);
      this.gesture = { kind: 'move', id: hit, start: p, original: target.points, points: target.points };
      return true;
    }
    this.gesture = { kind: 'pending-click', at: p, add: shift };
    return false;
  }

  /** The pointer moved with the button down. Returns true while the tools own the gesture. */
  drag(p: Point): boolean {
    const g = this.gesture;
    switch (g.kind) {
      case 'drag-draw':
      case 'area':
      case 'measure':
        g.current = p;
        return true;
      case 'trace':
      case 'paint':
        if (!near(g.points[g.points.length - 1], p, g.pixel)) g.points.push(p);
        return true;
      case 'move': {
        const shape = this.host.shapeOf(g.id);
        g.points = translate(g.original, p.x - g.start.x, p.y - g.start.y);
        return shape !== null;
      }
      case 'handle': {
        const shape = this.host.shapeOf(g.id);
        if (shape !== null) g.points = moveHandle(shape.vectorType, g.original, g.index, p);
        return true;
      }
      case 'pending-click':
        return false;
      case 'none':
        return false;
    }
  }

  /** The button went up; `moved` is whether the pointer travelled more than CLICK_SLOP. */
  release(p: Point, pixel: number, moved: boolean): void {
    const g = this.gesture;
    this.gesture = { kind: 'none' };
    switch (g.kind) {
      case 'drag-draw': {
        const points = moved
          ? isTwoCorner(g.type.vectorType) && g.type.vectorType !== VectorType.fixedBox
            ? corners(g.start, p)
            : g.type.vectorType === VectorType.line
              ? [g.start, p]
              : defaultShape(g.type.vectorType, p, g.type.width, g.type.height)
          : defaultShape(g.type.vectorType, p, g.type.width, g.type.height);
        if (points !== null) this.host.create(g.type, points);
        return;
      }
      case 'area': {
        const [a, b] = corners(g.start, p);
        const inside = this.host.within({ minX: a.x, minY: a.y, maxX: b.x, maxY: b.y });
        this.host.select(g.add ? [...new Set([...this.host.selection(), ...inside])] : inside);
        return;
      }
      case 'move':
        if (moved) this.host.reshape(g.id, g.points);
        else this.pick(p, pixel, false);
        return;
      case 'handle':
        if (moved) this.host.reshape(g.id, g.points);
        return;
      case 'trace':
        if (moved) this.host.trace(g.type, [...g.points, p], g.pixel);
        return;
      case 'paint':
        this.host.paint(g.type, [...g.points, p], this.brushRadius * g.pixel, g.erase, g.pixel);
        return;
      case 'measure':
        if (moved) this.ruler = [g.start, p];
        return;
      case 'pending-click':
        if (moved) return;
        if (this.tool === 'draw') this.addVertex(p, pixel);
        else this.pick(p, pixel, g.add);
        return;
      case 'none':
        return;
    }
  }

  /** The pointer moved without a button (the rubber band of a polygon follows it). */
  move(p: Point): void {
    this.hover = p;
  }

  /** Double-click or Enter: finishes a multi-line or polygon. */
  finish(): void {
    const type = this.host.activeType();
    const needed = type?.vectorType === VectorType.multiLine ? 2 : 3;
    if (type !== null && this.vertices.length >= needed) this.host.create(type, this.vertices);
    this.vertices = [];
  }

  /** Backspace while drawing: drops the last vertex; false when there was none. */
  undoVertex(): boolean {
    return this.vertices.pop() !== undefined;
  }

  get drawing(): boolean {
    return this.vertices.length > 0 || this.gesture.kind === 'drag-draw';
  }

  /** The line being measured: the ruler, or a line or multi-line being drawn (null if none). */
  measuredLine(): Point[] | null {
    const g = this.gesture;
    if (g.kind === 'measure') return [g.start, g.current];
    if (this.ruler !== null) return this.ruler;
    if (g.kind === 'drag-draw' && g.type.vectorType === VectorType.line) return [g.start, g.current];
    const draft = this.draft();
    return draft?.vectorType === VectorType.multiLine ? draft.points : null;
  }

  /** The brush stroke being painted, in image pixels (null when not painting). */
  brushStroke(): { points: Point[]; radius: number; erase: boolean } | null {
    const g = this.gesture;
    return g.kind === 'paint'
      ? { points: g.points, radius: this.brushRadius * g.pixel, erase: g.erase }
      : null;
  }

  /** Where the pointer is, while the brush tool is on (the canvas draws the brush there). */
  brushAt(): Point | null {
    return this.tool === 'brush' && this.hover !== null && Number.isFinite(this.hover.x) ? this.hover : null;
  }

  /** The shape in progress, for the canvas. */
  draft(): { vectorType: number; points: Point[]; color: string } | null {
    const g = this.gesture;
    if (g.kind === 'trace') {
      const points = this.hover === null ? g.points : [...g.points, this.hover];
      return { vectorType: VectorType.multiLine, points, color: g.type.color };
    }
    if (g.kind === 'drag-draw') {
      const points =
        g.type.vectorType === VectorType.line ? [g.start, g.current] : corners(g.start, g.current);
      return { vectorType: g.type.vectorType, points, color: g.type.color };
    }
    const type = this.host.activeType();
    if (this.vertices.length === 0 || type === null) return null;
    const points = this.hover === null ? this.vertices : [...this.vertices, this.hover];
    return { vectorType: type.vectorType, points, color: type.color };
  }

  /** The selection rectangle being dragged. */
  selectionRect(): Rect | null {
    const g = this.gesture;
    if (g.kind !== 'area') return null;
    const [a, b] = corners(g.start, g.current);
    return { minX: a.x, minY: a.y, maxX: b.x, maxY: b.y };
  }

  /** The one selected annotation, which is edited with handles. */
  editingId(): string | null {
    const selection = this.host.selection();
    if (selection.size !== 1) return null;
    const [only] = selection;
    return only ?? null;
  }

  /** The points of the edited shape, including a move or handle drag in progress. */
  editingPoints(): Point[] | null {
    const g = this.gesture;
    if (g.kind === 'move' || g.kind === 'handle') return g.points;
    const id = this.editingId();
    return id === null ? null : (this.host.shapeOf(id)?.points ?? null);
  }

  /** A press with a drawing tool: the draw tool's gestures, a freehand trace or a brush stroke. */
  private pressToDraw(p: Point, pixel: number, alt: boolean, readOnly: boolean): boolean {
    const type = this.host.activeType();
    if (type === null || readOnly) return false;
    if (this.tool === 'freehand' || this.tool === 'brush') {
      if (type.vectorType !== VectorType.polygon || type.nodeCount > 0) return false;
      this.gesture =
        this.tool === 'freehand'
          ? { kind: 'trace', type, points: [p], pixel }
          : { kind: 'paint', type, points: [p], erase: alt, pixel };
      return true;
    }
    if (isTwoCorner(type.vectorType) || type.vectorType === VectorType.line) {
      this.gesture = { kind: 'drag-draw', start: p, current: p, type };
    } else this.gesture = { kind: 'pending-click', at: p, add: false };
    return true;
  }

  private addVertex(p: Point, pixel: number): void {
    const type = this.host.activeType();
    if (type === null) return;
    // The clicks of a finishing double-click land on the last vertex: not a new one.
    const last = this.vertices[this.vertices.length - 1];
    if (last !== undefined && Math.hypot(last.x - p.x, last.y - p.y) <= CLICK_SLOP * pixel) return;
    this.vertices.push(p);
    if (
      type.vectorType === VectorType.polygon &&
      type.nodeCount > 0 &&
      this.vertices.length === type.nodeCount
    ) {
      this.finish();
    }
  }

  private pick(p: Point, pixel: number, add: boolean): void {
    const id = this.host.hitTest(p, 4 * pixel);
    if (id === null) {
      if (!add) this.host.select([]);
      return;
    }
    const current = this.host.selection();
    if (!add) this.host.select([id]);
    else if (current.has(id)) this.host.select([...current].filter((x) => x !== id));
    else this.host.select([...current, id]);
  }
}

/** Whether `p` is within one screen pixel of `q` (a trace keeps one point per screen pixel). */
function near(q: Point | undefined, p: Point, pixel: number): boolean {
  return q !== undefined && Math.hypot(q.x - p.x, q.y - p.y) < pixel;
}
