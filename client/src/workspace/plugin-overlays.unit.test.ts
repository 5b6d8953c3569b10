import { describe, expect, it } from 'vitest';
import { matchOverlays, overlayLayer, type PluginOverlayView } from './plugin-overlays';
import type { IndexedAnnotation } from './annotation-index';

/** A 2D context that records its transforms and whether every save was restored (Node has no canvas). */
function recordingContext() {
  const calls: string[] = [];
  const ctx = {
    save: () => calls.push('save'),
    restore: () => calls.push('restore'),
    setTransform: (...m: number[]) => calls.push(`setTransform ${m.join(' ')}`),
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, calls };
}

const view = { scale: 0.5, offsetX: 10, offsetY: 20, width: 400, height: 300 };
const declared = [
  { name: 'grid', description: 'A grid.' },
  { name: 'boxes', description: 'Boxes.' },
  { name: 'heat', description: 'Heat.' },
];

describe('plugin overlays', () => {
  it('pairs declared overlays with exported functions and names the rest', () => {
    const grid = () => undefined;
    const { drawable, missing } = matchOverlays(declared, { grid, boxes: 'not a function', extra: grid });
    expect(drawable.map((d) => d.overlay.name)).toEqual(['grid']);
    expect(drawable[0]?.draw).toBe(grid);
    expect(missing).toEqual(['boxes', 'heat']);
    expect(matchOverlays(declared, undefined).missing).toEqual(['grid', 'boxes', 'heat']);
    // An inherited property is not an export.
    expect(matchOverlays([{ name: 'toString', description: '' }], {}).missing).toEqual(['toString']);
  });

  it('draws in CSS pixels with the view mapped, and reads the annotations only when asked', () => {
    const { ctx, calls } = recordingContext();
    const shape = { id: 'a', minX: 0, minY: 0, maxX: 4, maxY: 4 } as IndexedAnnotation;
    let lookups = 0;
    const seen: PluginOverlayView[] = [];
    const layer = overlayLayer(
      (_ctx, v) => {
        seen.push(v);
      },
      () => {
        lookups++;
        return [shape];
      },
      () => {
        throw new Error('not expected');
      },
    );
    layer(ctx, view, 2);
    expect(calls).toEqual(['save', 'setTransform 2 0 0 2 0 0', 'restore']);
    const v = seen[0];
    expect(v?.toScreen(100, 40)).toEqual({ x: 60, y: 40 });
    expect(v?.scale).toBe(0.5);
    expect(v?.bounds).toEqual({ minX: -20, minY: -40, maxX: 780, maxY: 560 });
    expect(lookups).toBe(0);
    expect(v?.annotations).toEqual([shape]);
    expect(v?.annotations).toBe(v?.annotations);
    expect(lookups).toBe(1);
  });

  it('reports a draw function that throws once, restores the context and draws no more', () => {
    const { ctx, calls } = recordingContext();
    const failures: string[] = [];
    let tries = 0;
    const layer = overlayLayer(
      () => {
        tries++;
        throw new Error('bad overlay');
      },
      () => [],
      (message) => failures.push(message),
    );
    layer(ctx, view, 1);
    layer(ctx, view, 1);
    expect(failures).toEqual(['bad overlay']);
    expect(tries).toBe(1);
    expect(calls.filter((c) => c === 'save').length).toBe(calls.filter((c) => c === 'restore').length);
  });
});
