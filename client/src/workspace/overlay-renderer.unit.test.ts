import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { VectorType, type AnnotationRecord, type Vector } from '@tessera/shared';
import { AnnotationIndex } from './annotation-index';
import { OverlayRenderer, type Scene, type ShapeLook, type TypeStyle } from './overlay-renderer';
import { annotationRecord } from '../testing/records';

/** A Path2D that records what was traced into it (Node has no canvas). */
class RecordingPath {
  readonly ops: string[] = [];
  rect(x: number, y: number, w: number, h: number): void {
    this.ops.push(`rect ${x} ${y} ${w} ${h}`);
  }
  moveTo(x: number, y: number): void {
    this.ops.push(`moveTo ${x} ${y}`);
  }
  lineTo(x: number, y: number): void {
    this.ops.push(`lineTo ${x} ${y}`);
  }
  closePath(): void {
    this.ops.push('closePath');
  }
  ellipse(): void {
    this.ops.push('ellipse');
  }
}

/** A 2D context that records the strokes it is asked for, with the colour each is drawn in. */
function recordingContext() {
  const strokes: string[] = [];
  const state = { strokeStyle: '', lineWidth: 0, dashed: false };
  const ctx = {
    canvas: { width: 1000, height: 1000 },
    set strokeStyle(v: string) {
      state.strokeStyle = v;
    },
    set lineWidth(v: number) {
      state.lineWidth = v;
    },
    setTransform: () => undefined,
    clearRect: () => undefined,
    setLineDash: (segments: number[]) => {
      state.dashed = segments.length > 0;
    },
    strokeRect: (x: number, y: number, w: number, h: number) => {
      strokes.push(`${state.dashed ? 'dashed ' : ''}${state.strokeStyle} strokeRect ${x} ${y} ${w} ${h}`);
    },
    stroke: (path: RecordingPath) => {
      strokes.push(`${state.dashed ? 'dashed ' : ''}${state.strokeStyle} stroke ${path.ops.join(', ')}`);
    },
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, strokes };
}

function record(type: number, vector: Vector): AnnotationRecord {
  return annotationRecord(vector, { type });
}

function scene(index: AnnotationIndex, styles: Map<number, TypeStyle>): Scene {
  return {
    index,
    styles,
    frame: null,
    selected: new Set(),
    editing: null,
    draft: null,
    selectionRect: null,
    collaborators: [],
  };
}

describe('OverlayRenderer', () => {
  beforeEach(() => {
    vi.stubGlobal('Path2D', RecordingPath);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('strokes boxes and dots one rectangle each in their colour, other shapes as one path [W7]', () => {
    const index = new AnnotationIndex(1000, 1000);
    index.reset([
      ['box', record(1, { x1: 30, y1: 20, x2: 10, y2: 10 })],
      ['tiny', record(1, { x1: 100, y1: 100, x2: 100.5, y2: 100.25 })],
      ['polygon', record(2, { x1: 200, y1: 200, x2: 260, y2: 200, x3: 230, y3: 250 })],
      ['far', record(1, { x1: 900, y1: 900, x2: 950, y2: 950 })],
    ]);
    const styles = new Map<number, TypeStyle>([
      [1, { color: '#ff0000', vectorType: VectorType.box }],
      [2, { color: '#00ff00', vectorType: VectorType.polygon }],
    ]);
    const { ctx, strokes } = recordingContext();
    // Scale 2: one screen pixel is half an image pixel; the view shows image pixels 0-400.
    const view = { scale: 2, offsetX: 0, offsetY: 0, width: 800, height: 800 };
    new OverlayRenderer().draw(ctx, view, scene(index, styles), 1);
    expect(strokes.sort()).toEqual([
      '#00ff00 stroke moveTo 200 200, lineTo 260 200, lineTo 230 250, closePath',
      // A box named by its corners in any order is the same rectangle.
      '#ff0000 strokeRect 10 10 20 10',
      // Under two screen pixels: a dot, padded by one screen pixel on every side.
      '#ff0000 strokeRect 99.5 99.5 1.5 1.25',
    ]);
  });

  it('draws proposals dashed, rejected ones dashed grey, and hidden ones not at all [W9]', () => {
    const index = new AnnotationIndex(1000, 1000);
    const box = (x: number) => ({ x1: x, y1: 10, x2: x + 10, y2: 20 });
    index.reset([
      ['person', record(1, box(10))],
      ['proposal', record(1, box(30))],
      ['rejected', record(1, box(50))],
      ['hidden', record(1, box(70))],
    ]);
    const styles = new Map<number, TypeStyle>([[1, { color: '#ff0000', vectorType: VectorType.box }]]);
    const looks = new Map<string, ShapeLook>([
      ['proposal', 'proposal'],
      ['rejected', 'rejected'],
      ['hidden', 'hidden'],
    ]);
    const { ctx, strokes } = recordingContext();
    const view = { scale: 1, offsetX: 0, offsetY: 0, width: 400, height: 400 };
    new OverlayRenderer().draw(
      ctx,
      view,
      { ...scene(index, styles), look: (a) => looks.get(a.id) ?? 'solid' },
      1,
    );
    expect(strokes.sort()).toEqual([
      '#ff0000 strokeRect 10 10 10 10',
      'dashed #9a9a9a strokeRect 50 10 10 10',
      'dashed #ff0000 strokeRect 30 10 10 10',
    ]);
  });

  it("draws readers' copies under the own copy, in the reader's colour or the types' [W12]", () => {
    const styles = new Map<number, TypeStyle>([[1, { color: '#ff0000', vectorType: VectorType.box }]]);
    const copy = (x: number) => {
      const index = new AnnotationIndex(1000, 1000);
      index.reset([[`box${x}`, record(1, { x1: x, y1: 10, x2: x + 10, y2: 20 })]]);
      return index;
    };
    const own = copy(0);
    const { ctx, strokes } = recordingContext();
    const view = { scale: 1, offsetX: 0, offsetY: 0, width: 400, height: 400 };
    const renderer = new OverlayRenderer();
    const layers = [
      { index: copy(100), color: '#0000ff' },
      { index: copy(200), color: null },
    ];
    renderer.draw(ctx, view, { ...scene(own, styles), layers }, 1);
    expect(strokes).toEqual([
      '#0000ff strokeRect 100 10 10 10',
      '#ff0000 strokeRect 200 10 10 10',
      '#ff0000 strokeRect 0 10 10 10',
    ]);
    expect(renderer.lastFrame).toMatchObject({ shapes: 1, layerShapes: 2 });
  });
});
