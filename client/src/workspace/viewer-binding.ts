// OpenSeadragon on the tiler's DeepZoom tiles with one annotation canvas laid over it. Turns OSD's
// pointer events into image coordinates for the tools (cancelling OSD's pan when a tool takes the
// gesture) and redraws the canvas once per animation frame when the view or the scene changed.
import OpenSeadragon from 'openseadragon';
import type { Point, Rect } from './geometry';
import { CLICK_SLOP } from './interaction';
import type { ViewTransform } from './overlay-renderer';
import { dziUrl } from './workspace-data';

/** What the viewer reports to the workspace. */
export interface ViewerCallbacks {
  /** Returns true when a tool takes the gesture (no panning). */
  press(p: Point, pixel: number, shift: boolean, alt: boolean): boolean;
  drag(p: Point): boolean;
  release(p: Point, pixel: number, moved: boolean): void;
  hover(p: Point | null): void;
  doubleClick(): boolean;
  /** Draws the overlay for the current view. */
  draw(ctx: CanvasRenderingContext2D, view: ViewTransform, dpr: number): void;
  /** The view moved (throttled to animation frames). */
  viewChanged(visible: Rect): void;
  /** The user panned or zoomed by hand (ends "follow"). */
  userMoved(): void;
}

export interface ImageFilters {
  brightness: number;
  contrast: number;
  gamma: number;
  saturation: number;
  invert: boolean;
}

/** The image as the tiles come: no filter. */
export const NEUTRAL_FILTERS: ImageFilters = {
  brightness: 1,
  contrast: 1,
  gamma: 1,
  saturation: 1,
  invert: false,
};

/**
 * Tiles OpenSeadragon starts loading per frame. Each tile that arrives costs its frame a decode and a
 * copy on the main thread: while the view moves, one per frame keeps the frames short; at rest, six
 * fill the screen in a fraction of the time (a fresh open at full resolution waits for ~60 tiles).
 */
const TILES_PER_FRAME_MOVING = 1;
const TILES_PER_FRAME_RESTING = 6;
/** The view counts as resting this long after its last change. */
const RESTING_AFTER_MS = 120;

/** The id of the SVG filter that applies gamma (CSS filters have none); see ImageFilterDefs. */
export const GAMMA_FILTER_ID = 'tessera-gamma';

/** One OpenSeadragon viewer with the annotation canvas over it. */
export class ViewerBinding {
  readonly viewer: OpenSeadragon.Viewer;
  private readonly canvas: HTMLCanvasElement;
  private frameRequested = false;
  private pressAt: { x: number; y: number } | null = null;
  private captured = false;
  private savedBounds: OpenSeadragon.Rect | null = null;
  private restingTimer: number | undefined = undefined;
  /** The container size the linked view was last fitted to. */
  private fittedTo = { x: 0, y: 0 };

  constructor(
    element: HTMLElement,
    private readonly imageId: number,
    frame: number,
    private readonly callbacks: ViewerCallbacks,
    /** Where the first open starts (a view link), in level-0 pixels, kept until the user moves. */
    private initialView: Rect | null = null,
  ) {
    this.viewer = OpenSeadragon({
      element,
      tileSources: dziUrl(imageId, frame),
      // Canvas 2D: headless and software-rendered machines draw it faster than WebGL (DESIGN.md).
      drawer: 'canvas',
      showNavigator: true,
      navigatorPosition: 'BOTTOM_RIGHT',
      showNavigationControl: false,
      gestureSettingsMouse: { clickToZoom: false, dblClickToZoom: false },
      maxZoomPixelRatio: 4,
      // Off: beyond 110 % OpenSeadragon 6.1 draws the tiles into a second canvas, then copies it over
      // the first, meant to join tile edges at full resolution; but its scale test never holds
      // (`tile.length`), so it draws them at screen scale: the same picture, less a 2 px strip left
      // empty at the right and bottom, for a full-canvas copy every frame (~1 ms, bench/client).
      smoothTileEdgesMinZoom: Infinity,
      animationTime: 0.4,
      maxTilesPerFrame: TILES_PER_FRAME_RESTING,
      crossOriginPolicy: false,
    });
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'annotation-canvas';
    this.canvas.setAttribute('aria-hidden', 'true');
    this.viewer.canvas.appendChild(this.canvas);
    this.listen();
  }

  /** Image pixels per screen pixel at the current zoom. */
  get pixel(): number {
    const view = this.transform();
    return view === null ? 1 : 1 / view.scale;
  }

  /** Image coordinates to screen: the current (animated) transform, or null before the image opens. */
  transform(): ViewTransform | null {
    const item = this.viewer.world.getItemAt(0) as OpenSeadragon.TiledImage | undefined;
    if (item === undefined) return null;
    const origin = item.imageToViewerElementCoordinates(new OpenSeadragon.Point(0, 0));
    const unit = item.imageToViewerElementCoordinates(new OpenSeadragon.Point(1000, 0));
    const size = this.viewer.viewport.getContainerSize();
    if (!Number.isFinite(unit.x - origin.x) || unit.x === origin.x) return null;
    return {
      scale: (unit.x - origin.x) / 1000,
      offsetX: origin.x,
      offsetY: origin.y,
      width: size.x,
      height: size.y,
    };
  }

  /** The image rectangle in view (level-0 pixels), or null before the image opens. */
  visible(): Rect | null {
    const view = this.transform();
    if (view === null) return null;
    return {
      minX: -view.offsetX / view.scale,
      minY: -view.offsetY / view.scale,
      maxX: (view.width - view.offsetX) / view.scale,
      maxY: (view.height - view.offsetY) / view.scale,
    };
  }

  /** Asks for a redraw at the next animation frame (many requests, one draw). */
  requestDraw(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.drawNow();
    });
  }

  /** Flies to a rectangle of the image (with a margin). */
  flyTo(rect: Rect, immediately = false): void {
    this.initialView = null;
    const item = this.viewer.world.getItemAt(0) as OpenSeadragon.TiledImage | undefined;
    if (item === undefined) return;
    const margin = Math.max(rect.maxX - rect.minX, rect.maxY - rect.minY, 50) * 0.5;
    const bounds = item.imageToViewportRectangle(
      rect.minX - margin,
      rect.minY - margin,
      rect.maxX - rect.minX + 2 * margin,
      rect.maxY - rect.minY + 2 * margin,
    );
    this.viewer.viewport.fitBounds(bounds, immediately);
  }

  /** Shows another frame, keeping the view. */
  showFrame(frame: number): void {
    this.savedBounds = this.viewer.viewport.getBounds();
    this.viewer.open({ tileSource: dziUrl(this.imageId, frame) });
  }

  zoomBy(factor: number): void {
    this.initialView = null;
    this.viewer.viewport.zoomBy(factor);
  }

  home(): void {
    this.initialView = null;
    this.viewer.viewport.goHome();
  }

  /** Applies the image filters to the tiles only (not to the annotations or the navigator). */
  setFilters(f: ImageFilters): void {
    const parts = [`brightness(${f.brightness})`, `contrast(${f.contrast})`, `saturate(${f.saturation})`];
    if (f.invert) parts.push('invert(1)');
    if (f.gamma !== 1) parts.push(`url(#${GAMMA_FILTER_ID})`);
    const drawn = (this.viewer.drawer as unknown as { canvas?: HTMLElement }).canvas;
    if (drawn !== undefined) drawn.style.filter = parts.join(' ');
  }

  destroy(): void {
    window.clearTimeout(this.restingTimer);
    this.viewer.destroy();
  }

  private setTilesPerFrame(count: number): void {
    for (let i = 0; i < this.viewer.world.getItemCount(); i++) {
      // OpenSeadragon only lowers its working limit toward the option, never raises it: set both.
      const item = this.viewer.world.getItemAt(i) as OpenSeadragon.TiledImage & {
        maxTilesPerFrame: number;
        _currentMaxTilesPerFrame?: number;
      };
      item.maxTilesPerFrame = count;
      item._currentMaxTilesPerFrame = count;
    }
  }

  /** Shows exactly an image rectangle (level-0 pixels), at once. */
  private fitImageRect(rect: Rect): void {
    const item = this.viewer.world.getItemAt(0) as OpenSeadragon.TiledImage | undefined;
    if (item === undefined) return;
    const size = this.viewer.viewport.getContainerSize();
    this.fittedTo = { x: size.x, y: size.y };
    this.viewer.viewport.fitBounds(
      item.imageToViewportRectangle(rect.minX, rect.minY, rect.maxX - rect.minX, rect.maxY - rect.minY),
      true,
    );
  }

  private drawNow(): void {
    const view = this.transform();
    const ctx = this.canvas.getContext('2d');
    if (view === null || ctx === null) return;
    const dpr = window.devicePixelRatio || 1;
    const width = Math.round(view.width * dpr);
    const height = Math.round(view.height * dpr);
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    this.callbacks.draw(ctx, view, dpr);
  }

  private eventPoint(e: MouseEvent): Point | null {
    const box = this.viewer.canvas.getBoundingClientRect();
    return this.imagePoint(new OpenSeadragon.Point(e.clientX - box.left, e.clientY - box.top));
  }

  private imagePoint(position: OpenSeadragon.Point): Point | null {
    const item = this.viewer.world.getItemAt(0) as OpenSeadragon.TiledImage | undefined;
    if (item === undefined) return null;
    const p = item.viewerElementToImageCoordinates(position);
    return { x: p.x, y: p.y };
  }

  private listen(): void {
    const v = this.viewer;
    v.addHandler('open', () => {
      // Fitted before OpenSeadragon's first update: only the tiles of this view are asked for.
      if (this.savedBounds !== null) v.viewport.fitBounds(this.savedBounds, true);
      else if (this.initialView !== null) this.fitImageRect(this.initialView);
      this.savedBounds = null;
      this.requestDraw();
    });
    v.addHandler('viewport-change', () => {
      this.setTilesPerFrame(TILES_PER_FRAME_MOVING);
      window.clearTimeout(this.restingTimer);
      this.restingTimer = window.setTimeout(() => {
        this.setTilesPerFrame(TILES_PER_FRAME_RESTING);
      }, RESTING_AFTER_MS);
    });
    v.addHandler('update-viewport', () => {
      // A linked view stays whole while the page's layout settles around the viewer, until the user
      // moves (OpenSeadragon keeps the zoom, not the view, when its container is resized).
      const size = v.viewport.getContainerSize();
      if (this.initialView !== null && (size.x !== this.fittedTo.x || size.y !== this.fittedTo.y))
        this.fitImageRect(this.initialView);
      this.drawNow();
      const visible = this.visible();
      if (visible !== null) this.callbacks.viewChanged(visible);
    });
    // Pointer events are taken in the capture phase on the viewer's element, before OpenSeadragon's
    // tracker sees them: a gesture a tool takes is then stopped there (no pan), any other one passes
    // on to OpenSeadragon. (OSD's own press events proved unreliable for the first press of a page.)
    const element = v.element;
    const onCanvas = (e: Event) => e.target instanceof Node && v.canvas.contains(e.target);
    element.addEventListener(
      'pointerdown',
      (e) => {
        if (e.button !== 0 || !onCanvas(e)) return;
        const p = this.eventPoint(e);
        this.pressAt = { x: e.clientX, y: e.clientY };
        this.initialView = null;
        this.captured = p !== null && this.callbacks.press(p, this.pixel, e.shiftKey, e.altKey);
        if (this.captured) e.stopPropagation();
        else this.callbacks.userMoved();
        this.requestDraw();
      },
      true,
    );
    element.addEventListener(
      'pointermove',
      (e) => {
        const p = onCanvas(e) || this.captured ? this.eventPoint(e) : null;
        this.callbacks.hover(p);
        if (this.pressAt === null || !this.captured || p === null) return;
        e.stopPropagation();
        if (this.callbacks.drag(p)) this.requestDraw();
      },
      true,
    );
    element.addEventListener(
      'pointerup',
      (e) => {
        const start = this.pressAt;
        if (start === null) return;
        const moved = Math.hypot(e.clientX - start.x, e.clientY - start.y) > CLICK_SLOP;
        if (this.captured) e.stopPropagation();
        this.pressAt = null;
        this.captured = false;
        const p = this.eventPoint(e);
        if (p !== null) this.callbacks.release(p, this.pixel, moved);
        this.requestDraw();
      },
      true,
    );
    element.addEventListener(
      'dblclick',
      (e) => {
        if (onCanvas(e) && this.callbacks.doubleClick()) e.stopPropagation();
        this.requestDraw();
      },
      true,
    );
    v.addHandler('canvas-scroll', () => {
      this.initialView = null;
      this.callbacks.userMoved();
    });
    v.canvas.addEventListener('pointerleave', () => {
      this.callbacks.hover(null);
    });
  }
}
