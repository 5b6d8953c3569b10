// OpenSeadragon on a map's mosaic with one canvas over it: every cell outlined in its annotation's type
// colour as the annotation is now (deleted ones crossed out), the selected cell drawn thicker.
import type { AnnotationMapCell } from '@tessera/shared';
import OpenSeadragon from 'openseadragon';
import { mapDziUrl } from './maps-api';

/** What the canvas draws, handed over whenever it changes. */
export interface MapScene {
  readonly cells: readonly AnnotationMapCell[];
  readonly cellSize: number;
  readonly colours: ReadonlyMap<number, string>;
  readonly selected: number | null;
}

/** One OpenSeadragon viewer of a map with the cell outlines over it. */
export class MapViewer {
  readonly viewer: OpenSeadragon.Viewer;
  private readonly canvas: HTMLCanvasElement;
  private scene: MapScene = { cells: [], cellSize: 1, colours: new Map(), selected: null };
  private frameRequested = false;

  constructor(element: HTMLElement, mapId: number, onClick: (x: number, y: number) => void) {
    this.viewer = OpenSeadragon({
      element,
      tileSources: mapDziUrl(mapId),
      drawer: 'canvas',
      showNavigator: true,
      navigatorPosition: 'BOTTOM_RIGHT',
      showNavigationControl: false,
      gestureSettingsMouse: { clickToZoom: false, dblClickToZoom: false },
      maxZoomPixelRatio: 4,
      // Off, as in the workspace's viewer (viewer-binding.ts says why): beyond 110 % it costs a
      // full-canvas copy every frame for the same picture, and map cells are viewed magnified.
      smoothTileEdgesMinZoom: Infinity,
      animationTime: 0.4,
      crossOriginPolicy: false,
    });
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'map-canvas';
    this.canvas.setAttribute('aria-hidden', 'true');
    this.viewer.canvas.appendChild(this.canvas);
    // Tests and the console reach the viewer as the workspace's is reached (window.tesseraWorkspace).
    (window as unknown as { tesseraMap?: MapViewer }).tesseraMap = this;
    for (const event of ['open', 'update-viewport', 'resize'] as const) {
      this.viewer.addHandler(event, () => {
        this.requestDraw();
      });
    }
    this.viewer.addHandler('canvas-click', (event) => {
      if (!event.quick) return;
      const point = this.viewer.viewport.viewerElementToImageCoordinates(event.position);
      onClick(point.x, point.y);
    });
  }

  /** Draws `scene` from now on. */
  show(scene: MapScene): void {
    this.scene = scene;
    this.requestDraw();
  }

  /** Page-independent viewer-element coordinates of a mosaic point (tests click cells with it). */
  elementPoint(x: number, y: number): { x: number; y: number } {
    const point = this.viewer.viewport.imageToViewerElementCoordinates(new OpenSeadragon.Point(x, y));
    return { x: point.x, y: point.y };
  }

  /** Brings a cell into view (after the selection moved off screen). */
  reveal(cell: AnnotationMapCell): void {
    const size = this.scene.cellSize;
    const rect = this.viewer.viewport.imageToViewportRectangle(cell.col * size, cell.row * size, size, size);
    if (!this.viewer.viewport.getBounds().containsPoint(rect.getCenter()))
      this.viewer.viewport.panTo(rect.getCenter());
  }

  destroy(): void {
    this.viewer.destroy();
  }

  private requestDraw(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.draw();
    });
  }

  private draw(): void {
    const size = this.viewer.viewport.getContainerSize();
    const dpr = window.devicePixelRatio || 1;
    this.canvas.width = Math.round(size.x * dpr);
    this.canvas.height = Math.round(size.y * dpr);
    const context = this.canvas.getContext('2d');
    if (context === null || this.viewer.world.getItemCount() === 0) return;
    context.setTransform(dpr, 0, 0, dpr, 0, 0);
    const origin = this.viewer.viewport.imageToViewerElementCoordinates(new OpenSeadragon.Point(0, 0));
    const unit = this.viewer.viewport.imageToViewerElementCoordinates(new OpenSeadragon.Point(1000, 0));
    const scale = (unit.x - origin.x) / 1000;
    const { cells, cellSize, colours, selected } = this.scene;
    for (const cell of cells) {
      const x = origin.x + cell.col * cellSize * scale;
      const y = origin.y + cell.row * cellSize * scale;
      const side = cellSize * scale;
      if (x + side < 0 || y + side < 0 || x > size.x || y > size.y) continue;
      const colour = colours.get(cell.annotation_type) ?? '#888888';
      const isSelected = cell.annotation === selected;
      context.strokeStyle = colour;
      context.lineWidth = isSelected ? 4 : 2;
      context.strokeRect(x + 2, y + 2, side - 4, side - 4);
      if (cell.deleted) {
        context.beginPath();
        context.moveTo(x + 4, y + 4);
        context.lineTo(x + side - 4, y + side - 4);
        context.moveTo(x + side - 4, y + 4);
        context.lineTo(x + 4, y + side - 4);
        context.strokeStyle = '#222222';
        context.stroke();
      }
      if (isSelected) {
        context.strokeStyle = '#ffffff';
        context.lineWidth = 1;
        context.strokeRect(x + 5, y + 5, side - 10, side - 10);
      }
    }
  }
}
