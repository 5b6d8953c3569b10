// Plugin overlays: a plugin's panel module may export `overlays`, draw functions by the names its
// manifest declares. Each becomes one of the workspace's extra drawing layers, drawn in CSS pixels
// after the annotations; a function that throws is reported and switched off, never breaking a frame.
import type { Rect } from './geometry';
import type { IndexedAnnotation } from './annotation-index';
import type { ViewTransform } from './overlay-renderer';
import { visibleRect } from './overlay-renderer';

/** What a plugin's draw function gets besides the context (whose units are CSS pixels of the canvas). */
export interface PluginOverlayView {
  /** Image pixel to canvas CSS pixel. */
  toScreen(x: number, y: number): { x: number; y: number };
  /** CSS pixels per image pixel. */
  readonly scale: number;
  /** The image pixels in view. */
  readonly bounds: Rect;
  /** The annotations the workspace draws in view (none while it shows the density map). */
  readonly annotations: readonly IndexedAnnotation[];
}

export type PluginOverlayDraw = (ctx: CanvasRenderingContext2D, view: PluginOverlayView) => void;

/** An overlay as the manifest declares it. */
export interface DeclaredOverlay {
  readonly name: string;
  readonly description: string;
}

/** A workspace drawing layer (workspace-controller.ts `extraLayers`). */
export type DrawingLayer = (ctx: CanvasRenderingContext2D, view: ViewTransform, dpr: number) => void;

/**
 * Pairs the manifest's overlays with the panel module's `overlays` export: the drawable ones, and
 * the names declared but not exported as functions (reported in the panel, not drawn).
 */
export function matchOverlays(
  declared: readonly DeclaredOverlay[],
  exported: unknown,
): { drawable: { overlay: DeclaredOverlay; draw: PluginOverlayDraw }[]; missing: string[] } {
  const table =
    typeof exported === 'object' && exported !== null ? (exported as Record<string, unknown>) : {};
  const drawable: { overlay: DeclaredOverlay; draw: PluginOverlayDraw }[] = [];
  const missing: string[] = [];
  for (const overlay of declared) {
    const draw = Object.hasOwn(table, overlay.name) ? table[overlay.name] : undefined;
    if (typeof draw === 'function') drawable.push({ overlay, draw: draw as PluginOverlayDraw });
    else missing.push(overlay.name);
  }
  return { drawable, missing };
}

/**
 * One overlay as a drawing layer: the context is in CSS pixels and restored afterwards, the visible
 * annotations are looked up only if the function reads them, and the first throw calls `onFail` and
 * stops the layer from drawing again (the caller removes it).
 */
export function overlayLayer(
  draw: PluginOverlayDraw,
  shapesInView: (view: ViewTransform) => readonly IndexedAnnotation[],
  onFail: (message: string) => void,
): DrawingLayer {
  let failed = false;
  return (ctx, view, dpr) => {
    if (failed) return;
    let annotations: readonly IndexedAnnotation[] | undefined;
    const overlayView: PluginOverlayView = {
      toScreen: (x, y) => ({ x: x * view.scale + view.offsetX, y: y * view.scale + view.offsetY }),
      scale: view.scale,
      bounds: visibleRect(view),
      get annotations() {
        annotations ??= Object.freeze(shapesInView(view));
        return annotations;
      },
    };
    ctx.save();
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    try {
      draw(ctx, overlayView);
    } catch (error) {
      failed = true;
      onFail(error instanceof Error ? error.message : String(error));
    } finally {
      ctx.restore();
    }
  };
}
