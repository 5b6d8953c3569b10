import { describe, expect, it } from 'vitest';
import { VectorType } from '@tessera/shared';
import { hits, type Point, type Rect } from './geometry';
import { Interaction, type DrawType, type InteractionHost } from './interaction';

/** A workspace with shapes in memory, recording what the tools asked for. */
function fakeWorkspace(type: DrawType | null, readOnly = false) {
  const shapes = new Map<string, { vectorType: number; points: Point[] }>();
  let selection = new Set<string>();
  const created: Point[][] = [];
  const traced: Point[][] = [];
  const painted: { path: Point[]; radius: number; erase: boolean }[] = [];
  const host: InteractionHost = {
    activeType: () => type,
    hitTest: (p, tolerance) =>
      [...shapes].find(([, s]) => hits(s.vectorType, s.points, p, tolerance))?.[0] ?? null,
    selection: () => selection,
    select: (ids) => {
      selection = new Set(ids);
    },
    shapeOf: (id) => shapes.get(id) ?? null,
    within: (r: Rect) =>
      [...shapes]
        .filter(([, s]) =>
          s.points.every((p) => p.x >= r.minX && p.x <= r.maxX && p.y >= r.minY && p.y <= r.maxY),
        )
        .map(([id]) => id),
    create: (_t, points) => created.push(points),
    reshape: (id, points) => {
      const s = shapes.get(id);
      if (s) shapes.set(id, { ...s, points });
    },
    trace: (_t, points) => traced.push(points),
    paint: (_t, path, radius, erase) => painted.push({ path, radius, erase }),
    readOnly: () => readOnly,
  };
  return { host, shapes, created, traced, painted, selected: () => selection };
}

const BOX_TYPE: DrawType = {
  id: 1,
  vectorType: VectorType.box,
  nodeCount: 0,
  width: 50,
  height: 50,
  color: '#f00',
};

describe('Interaction', () => {
  it('draws a box by dragging and places a default box on a click', () => {
    const w = fakeWorkspace(BOX_TYPE);
    const tools = new Interaction(w.host);
    tools.setTool('draw');
    expect(tools.press({ x: 100, y: 100 }, 1, false)).toBe(true);
    tools.drag({ x: 60, y: 160 });
    expect(tools.draft()?.points).toEqual([
      { x: 60, y: 100 },
      { x: 100, y: 160 },
    ]);
    tools.release({ x: 60, y: 160 }, 1, true);
    tools.press({ x: 500, y: 500 }, 1, false);
    tools.release({ x: 500, y: 500 }, 1, false);
    expect(w.created).toEqual([
      [
        { x: 60, y: 100 },
        { x: 100, y: 160 },
      ],
      [
        { x: 475, y: 475 },
        { x: 525, y: 525 },
      ],
    ]);
  });

  it('draws polygons vertex by vertex; a fixed node count finishes by itself', () => {
    const w = fakeWorkspace({ ...BOX_TYPE, vectorType: VectorType.polygon, nodeCount: 3 });
    const tools = new Interaction(w.host);
    tools.setTool('draw');
    for (const p of [
      { x: 0, y: 0 },
      { x: 0, y: 0.5 }, // a double-click's second click on the same vertex adds nothing
      { x: 10, y: 0 },
      { x: 0, y: 10 },
    ]) {
      tools.press(p, 1, false);
      tools.release(p, 1, false);
    }
    expect(w.created).toHaveLength(1);
    expect(w.created[0]).toHaveLength(3);
    expect(tools.drawing).toBe(false);
  });

  it('finishes a multi-line on request and drops it on cancel', () => {
    const w = fakeWorkspace({ ...BOX_TYPE, vectorType: VectorType.multiLine });
    const tools = new Interaction(w.host);
    tools.setTool('draw');
    tools.press({ x: 0, y: 0 }, 1, false);
    tools.release({ x: 0, y: 0 }, 1, false);
    tools.finish(); // one point is not a line
    expect(w.created).toHaveLength(0);
    for (const p of [
      { x: 0, y: 0 },
      { x: 20, y: 0 },
    ]) {
      tools.press(p, 1, false);
      tools.release(p, 1, false);
    }
    expect(tools.undoVertex()).toBe(true);
    tools.cancel();
    expect(tools.drawing).toBe(false);
    tools.finish();
    expect(w.created).toHaveLength(0);
  });

  it('selects by click and rectangle, moves the selected shape and drags its handles', () => {
    const w = fakeWorkspace(BOX_TYPE);
    w.shapes.set('a', {
      vectorType: VectorType.box,
      points: [
        { x: 0, y: 0 },
        { x: 10, y: 10 },
      ],
    });
    w.shapes.set('b', {
      vectorType: VectorType.box,
      points: [
        { x: 100, y: 100 },
        { x: 110, y: 110 },
      ],
    });
    const tools = new Interaction(w.host);
    expect(tools.press({ x: 50, y: 50 }, 1, false)).toBe(false); // empty image: the viewer pans
    tools.release({ x: 50, y: 50 }, 1, false);
    expect(tools.press({ x: 5, y: 5 }, 1, false)).toBe(true); // a shape: the press may move it
    tools.release({ x: 5, y: 5 }, 1, false); // a click: it is selected, unmoved
    expect([...w.selected()]).toEqual(['a']);
    expect(tools.press({ x: 5, y: 5 }, 1, false)).toBe(true);
    tools.drag({ x: 25, y: 5 });
    tools.release({ x: 25, y: 5 }, 1, true);
    expect(w.shapes.get('a')?.points).toEqual([
      { x: 20, y: 0 },
      { x: 30, y: 10 },
    ]);
    expect(tools.press({ x: 30, y: 10 }, 1, false)).toBe(true); // bottom-right handle
    tools.drag({ x: 40, y: 20 });
    tools.release({ x: 40, y: 20 }, 1, true);
    expect(w.shapes.get('a')?.points).toEqual([
      { x: 20, y: 0 },
      { x: 40, y: 20 },
    ]);
    tools.setTool('area');
    tools.press({ x: -5, y: -5 }, 1, false);
    tools.drag({ x: 200, y: 200 });
    expect(tools.selectionRect()).toEqual({ minX: -5, minY: -5, maxX: 200, maxY: 200 });
    tools.release({ x: 200, y: 200 }, 1, true);
    expect([...w.selected()].sort()).toEqual(['a', 'b']);
  });

  it('lets a read-only user neither draw nor move', () => {
    const w = fakeWorkspace(BOX_TYPE, true);
    w.shapes.set('a', {
      vectorType: VectorType.box,
      points: [
        { x: 0, y: 0 },
        { x: 10, y: 10 },
      ],
    });
    const tools = new Interaction(w.host);
    tools.setTool('draw');
    expect(tools.press({ x: 5, y: 5 }, 1, false)).toBe(false);
    tools.release({ x: 5, y: 5 }, 1, false);
    tools.setTool('select');
    w.host.select(['a']);
    expect(tools.press({ x: 5, y: 5 }, 1, false)).toBe(false);
    expect(w.created).toHaveLength(0);
  });

  it('moves an unselected shape on drag, without a click first, and selects it', () => {
    const w = fakeWorkspace(BOX_TYPE);
    const box = (x: number) => ({
      vectorType: VectorType.box,
      points: [
        { x, y: 0 },
        { x: x + 10, y: 10 },
      ],
    });
    w.shapes.set('a', box(0));
    w.shapes.set('b', box(100));
    w.host.select(['a']);
    const tools = new Interaction(w.host);
    expect(tools.press({ x: 105, y: 5 }, 1, false)).toBe(true);
    tools.drag({ x: 115, y: 25 });
    tools.release({ x: 115, y: 25 }, 1, true);
    expect(w.shapes.get('b')?.points).toEqual([
      { x: 110, y: 20 },
      { x: 120, y: 30 },
    ]);
    expect(w.shapes.get('a')?.points[0]).toEqual({ x: 0, y: 0 });
    expect([...w.selected()]).toEqual(['b']);
  });

  it('traces freehand outlines and paints brush strokes with polygon types only', () => {
    const polygon: DrawType = { ...BOX_TYPE, vectorType: VectorType.polygon };
    const w = fakeWorkspace(polygon);
    const tools = new Interaction(w.host);
    tools.setTool('freehand');
    expect(tools.press({ x: 0, y: 0 }, 2, false)).toBe(true);
    tools.drag({ x: 1, y: 0 }); // under a screen pixel (2 image pixels): not a new point
    tools.drag({ x: 10, y: 0 });
    tools.drag({ x: 10, y: 10 });
    tools.release({ x: 0, y: 10 }, 2, true);
    expect(w.traced).toEqual([
      [
        { x: 0, y: 0 },
        { x: 10, y: 0 },
        { x: 10, y: 10 },
        { x: 0, y: 10 },
      ],
    ]);
    tools.setTool('brush');
    tools.resizeBrush(2); // 24 screen pixels
    tools.press({ x: 0, y: 0 }, 0.5, false, true);
    expect(tools.brushStroke()).toEqual({ points: [{ x: 0, y: 0 }], radius: 12, erase: true });
    tools.release({ x: 30, y: 0 }, 0.5, true);
    expect(w.painted).toEqual([
      {
        path: [
          { x: 0, y: 0 },
          { x: 30, y: 0 },
        ],
        radius: 12,
        erase: true,
      },
    ]);
    const boxes = fakeWorkspace(BOX_TYPE);
    const boxTools = new Interaction(boxes.host);
    boxTools.setTool('brush');
    expect(boxTools.press({ x: 0, y: 0 }, 1, false)).toBe(false);
  });

  it('measures with the ruler until the next press or Escape, and the line being drawn', () => {
    const w = fakeWorkspace({ ...BOX_TYPE, vectorType: VectorType.line });
    const tools = new Interaction(w.host);
    tools.setTool('ruler');
    tools.press({ x: 0, y: 0 }, 1, false);
    tools.drag({ x: 30, y: 40 });
    tools.release({ x: 30, y: 40 }, 1, true);
    expect(tools.measuredLine()).toEqual([
      { x: 0, y: 0 },
      { x: 30, y: 40 },
    ]);
    tools.cancel();
    expect(tools.measuredLine()).toBeNull();
    tools.setTool('draw');
    tools.press({ x: 0, y: 0 }, 1, false);
    tools.drag({ x: 5, y: 0 });
    expect(tools.measuredLine()).toEqual([
      { x: 0, y: 0 },
      { x: 5, y: 0 },
    ]);
    expect(w.created).toHaveLength(0);
  });
});
