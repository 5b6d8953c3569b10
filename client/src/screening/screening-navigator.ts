// Guided screening on OpenSeadragon: a canvas over the navigator (the overview in the corner) with the
// screened fields shaded and the current one outlined, redrawn whenever the navigator draws; and the
// viewer's side of a session (its size, showing a field).
import type OpenSeadragon from 'openseadragon';
import type { Rect } from '../workspace/geometry';
import { fieldAt } from './screening-plan';
import type { ScreeningSnapshot, ScreeningViewer } from './screening-session';

/** Fill of screened fields and outline of the current one (EXACT's green and magenta). */
export const SCREENED_FILL = 'rgba(0, 200, 0, 0.35)';
const CURRENT_STROKE = '#ff00ff';

/** The shading over one viewer's navigator. */
export class ScreeningNavigator {
  readonly canvas: HTMLCanvasElement;
  private state: () => ScreeningSnapshot | null = () => null;
  private pick: (index: number) => void = () => undefined;

  constructor(private readonly viewer: OpenSeadragon.Viewer) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'screening-navigator';
    this.canvas.setAttribute('aria-hidden', 'true');
    // The viewer is made with `showNavigator: true` (viewer-binding.ts), so the navigator exists.
    viewer.navigator.canvas.appendChild(this.canvas);
    viewer.navigator.addHandler('update-viewport', () => {
      this.draw();
    });
    // While screening, a click on the navigator goes to the field there (as in EXACT), not just there.
    viewer.addHandler('navigator-click', (event) => {
      const progress = this.state()?.active === true ? this.state()?.progress : null;
      const item = viewer.world.getItemAt(0) as OpenSeadragon.TiledImage | undefined;
      if (progress == null || item === undefined) return;
      event.preventDefaultAction = true;
      const p = item.viewportToImageCoordinates(viewer.navigator.viewport.pointFromPixel(event.position));
      const index = fieldAt(progress.fields, p.x, p.y);
      if (index >= 0) this.pick(index);
    });
  }

  /** What the session looks like now (read at every draw), and what a click on a field does. */
  follow(state: () => ScreeningSnapshot, pick: (index: number) => void): void {
    this.state = state;
    this.pick = pick;
    this.draw();
  }

  /** The viewer's side of a screening session. */
  binding(): ScreeningViewer {
    return {
      size: () => {
        if ((this.viewer.world.getItemAt(0) as OpenSeadragon.TiledImage | undefined) === undefined)
          return null;
        const size = this.viewer.viewport.getContainerSize();
        return { width: size.x, height: size.y };
      },
      show: (field: Rect) => {
        this.show(field);
      },
      changed: () => {
        this.draw();
      },
    };
  }

  /** Fits one field into the viewer; before the image has opened, as soon as it opens. */
  private show(field: Rect): void {
    const item = this.viewer.world.getItemAt(0) as OpenSeadragon.TiledImage | undefined;
    if (item === undefined) {
      this.viewer.addOnceHandler('open', () => {
        this.show(field);
      });
      return;
    }
    const { minX, minY, maxX, maxY } = field;
    this.viewer.viewport.fitBounds(item.imageToViewportRectangle(minX, minY, maxX - minX, maxY - minY));
  }

  /** An image point in the navigator canvas's CSS pixels, or null before the image opened. */
  navigatorPoint(x: number, y: number): { x: number; y: number } | null {
    const item = this.viewer.world.getItemAt(0) as OpenSeadragon.TiledImage | undefined;
    if (item === undefined) return null;
    const p = this.viewer.navigator.viewport.pixelFromPoint(item.imageToViewportCoordinates(x, y), true);
    return { x: p.x, y: p.y };
  }

  /** Redraws the shading (nothing while no plan is active). */
  draw(): void {
    const ctx = this.canvas.getContext('2d');
    const container = this.canvas.parentElement;
    if (ctx === null || container === null) return;
    const dpr = window.devicePixelRatio || 1;
    const width = Math.round(container.clientWidth * dpr);
    const height = Math.round(container.clientHeight * dpr);
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const state = this.state();
    const progress = state?.progress;
    if (state?.active !== true || progress == null) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const screen = (f: Rect) => {
      const a = this.navigatorPoint(f.minX, f.minY);
      const b = this.navigatorPoint(f.maxX, f.maxY);
      return a === null || b === null ? null : { x: a.x, y: a.y, w: b.x - a.x, h: b.y - a.y };
    };
    // One path filled once: where fields overlap the shade stays even.
    const shaded = new Path2D();
    for (const i of progress.screened) {
      const field = progress.fields[i];
      const r = field === undefined ? null : screen(field);
      if (r !== null) shaded.rect(r.x, r.y, r.w, r.h);
    }
    ctx.fillStyle = SCREENED_FILL;
    ctx.fill(shaded);
    const current = progress.fields[progress.current];
    const r = current === undefined ? null : screen(current);
    if (r !== null) {
      ctx.strokeStyle = CURRENT_STROKE;
      ctx.lineWidth = 2;
      ctx.strokeRect(r.x, r.y, r.w, r.h);
    }
  }
}
