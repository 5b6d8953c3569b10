import type { AnnotationMap, AnnotationMapCell, AnnotationType } from '@tessera/shared';
import type OpenSeadragon from 'openseadragon';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { ErrorNotice, StatusLine } from '../components/Notice';
import { useTitle } from '../hooks/useTitle';
import { ScreeningPanel } from '../screening/ScreeningPanel';
import { cellAt, moveSelection, relabelTargets } from './map-cells';
import { annotationMaps, mapAnnotations, mapScreeningStore } from './maps-api';
import { MapViewer } from './map-viewer';
import './maps.css';

/** How often the cells are read again, so others' relabels and deletions show without a reload. */
const REFRESH_MS = 3_000;

/** A mosaic's cells are small: screening also offers fields magnified 2x and 4x (map-viewer allows 4x). */
const MAP_ZOOM_FACTORS = [0.25, 0.5, 1, 2, 4];

const ARROWS = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' } as const;

/**
 * One annotation map: the mosaic in OpenSeadragon, each cell outlined in its annotation's type colour as
 * the annotation is now. Click (or arrows) selects a cell, digits relabel its annotation, Delete deletes
 * it: the change goes to the original annotation, so workspaces open on its slide see it at once.
 */
export function MapView({ map, types }: { map: AnnotationMap; types: AnnotationType[] }) {
  useTitle(map.name);
  const element = useRef<HTMLDivElement>(null);
  const viewer = useRef<MapViewer | null>(null);
  // The OpenSeadragon viewer once made: guided screening runs on it (M8).
  const [osd, setOsd] = useState<OpenSeadragon.Viewer | undefined>(undefined);
  const screeningStore = useMemo(() => mapScreeningStore(map.id), [map.id]);
  const picture = useMemo(() => ({ width: map.width, height: map.height }), [map.width, map.height]);
  const [cells, setCells] = useState<AnnotationMapCell[]>([]);
  // The click and key handlers read the cells of now, not of the render that attached them.
  const cellsRef = useRef(cells);
  cellsRef.current = cells;
  const [selected, setSelected] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const targets = useMemo(() => relabelTargets(types, map.annotation_type), [types, map.annotation_type]);
  const colours = useMemo(() => new Map(types.map((t) => [t.id, t.color_code])), [types]);
  const names = useMemo(() => new Map(types.map((t) => [t.id, t.name])), [types]);
  const current = cells.find((c) => c.annotation === selected);

  const refresh = useCallback(async () => {
    try {
      setCells(await annotationMaps.cells(map.id));
    } catch (problem) {
      setError(problem instanceof Error ? problem.message : String(problem));
    }
  }, [map.id]);

  useEffect(() => {
    if (element.current === null) return;
    const made = new MapViewer(element.current, map.id, (x, y) => {
      const hit = cellAt(cellsRef.current, map.columns, map.cell_size, x, y);
      setSelected(hit?.annotation ?? null);
    });
    viewer.current = made;
    setOsd(made.viewer);
    return () => {
      setOsd(undefined);
      made.destroy();
      viewer.current = null;
    };
  }, [map.id, map.columns, map.cell_size]);

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => {
      clearInterval(timer);
    };
  }, [refresh]);

  useEffect(() => {
    viewer.current?.show({ cells, cellSize: map.cell_size, colours, selected });
  }, [cells, colours, selected, map.cell_size]);

  const change = useCallback(
    async (what: string, write: () => Promise<unknown>) => {
      setError(null);
      try {
        await write();
        setStatus(what);
        await refresh();
      } catch (problem) {
        setError(problem instanceof Error ? problem.message : String(problem));
      }
    },
    [refresh],
  );

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.target instanceof HTMLInputElement || event.ctrlKey || event.metaKey || event.altKey) return;
      const cell = cellsRef.current.find((c) => c.annotation === selected);
      if (event.key in ARROWS) {
        const from = cell ?? cellsRef.current[0];
        if (from === undefined) return;
        const next = cell
          ? moveSelection(cellsRef.current, from, ARROWS[event.key as keyof typeof ARROWS])
          : from;
        setSelected(next.annotation);
        viewer.current?.reveal(next);
        event.preventDefault();
        return;
      }
      if (event.key === 'Escape') setSelected(null);
      if (cell === undefined || cell.deleted) return;
      const digit = /^[1-9]$/.test(event.key) ? Number(event.key) : 0;
      const target = targets[digit - 1];
      if (target !== undefined && target.id !== cell.annotation_type) {
        void change(`Relabelled as ${target.name}.`, () =>
          mapAnnotations.relabel(cell.annotation, target.id),
        );
      } else if (event.key === 'Delete' || event.key === 'Backspace') {
        void change('Annotation deleted.', () => mapAnnotations.remove(cell.annotation));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [selected, targets, change]);

  return (
    <div className="map-page">
      <div className="map-bar">
        <h1>{map.name}</h1>
        <span className="muted">
          {map.annotation_count} annotations · {map.kind === 'cluster' ? 'by look' : 'in order'}
        </span>
        <ol className="map-keys" aria-label="Keys">
          {targets.map((t, i) => (
            <li key={t.id}>
              <kbd>{i + 1}</kbd> <span style={{ color: t.color_code }}>■</span> {t.name}
            </li>
          ))}
          <li>
            <kbd>Del</kbd> delete
          </li>
          <li>
            <kbd>Space</kbd> / <kbd>⇧ Space</kbd> next / previous field while screening
          </li>
        </ol>
      </div>
      {current ? (
        <p className="map-selection" data-testid="map-selection">
          Selected: {names.get(current.annotation_type) ?? 'unknown type'}
          {current.deleted ? ' (deleted)' : ''}
          {current.moved ? ' (moved since the map was made)' : ''} ·{' '}
          <Link to={`/images/${current.image}?annotation=${current.unique_identifier}`}>
            open on its slide
          </Link>
        </p>
      ) : (
        <p className="muted map-selection" data-testid="map-selection">
          Click a cell to select it; arrows move, digits relabel.
        </p>
      )}
      <ErrorNotice message={error} />
      <StatusLine>{status}</StatusLine>
      <div className="map-main">
        <div className="map-viewer" ref={element} data-testid="map-viewer" />
        <aside className="map-side">
          <ScreeningPanel
            viewer={osd}
            picture={picture}
            store={screeningStore}
            objectivePower={0}
            zoomFactors={MAP_ZOOM_FACTORS}
            initialFactor={1}
          />
        </aside>
      </div>
    </div>
  );
}
