import type { AnnotationMap, AnnotationType } from '@tessera/shared';
import { useEffect } from 'react';
import { ErrorNotice } from '../components/Notice';
import { Skeleton } from '../components/Skeleton';
import { useAction } from '../hooks/useAction';
import { useLoad } from '../hooks/useLoad';
import { annotationMaps, setTypes } from './maps-api';
import { MapView } from './MapView';

/** How often a map being generated is asked about. */
const POLL_MS = 1_000;

/** Loads a map and its set's types; shows its progress until it is ready, then the map view. */
export function MapScreen({ mapId }: { mapId: number }) {
  const loaded = useLoad(async (): Promise<{ map: AnnotationMap; types: AnnotationType[] }> => {
    const map = await annotationMaps.get(mapId);
    return { map, types: await setTypes(map.image_set) };
  }, [mapId]);
  const regenerate = useAction();
  const map = loaded.data?.map;
  const { reload } = loaded;
  useEffect(() => {
    if (map?.state !== 'processing') return;
    const timer = setTimeout(reload, POLL_MS);
    return () => {
      clearTimeout(timer);
    };
  }, [map, reload]);
  if (loaded.error !== null) return <ErrorNotice message={loaded.error} />;
  if (map === undefined || loaded.data === undefined) return <Skeleton label="Loading the map…" rows={1} />;
  const again = () => void regenerate.run(() => annotationMaps.regenerate(map.id)).then(reload);
  const regenerateButton = (
    <button type="button" onClick={again} disabled={regenerate.busy}>
      Regenerate
    </button>
  );
  if (map.state === 'processing') {
    // A server stopped mid-generation leaves the map processing: starting again is always allowed.
    return <p role="status">Generating the map… {regenerateButton}</p>;
  }
  if (map.state === 'failed') {
    return (
      <>
        <ErrorNotice message={`The map could not be made: ${map.failure_reason ?? ''}`} />
        {regenerateButton}
      </>
    );
  }
  return (
    <>
      {map.stale ? (
        <p className="notice" role="status">
          Annotations were added or moved since this map was made. {regenerateButton}
        </p>
      ) : null}
      <ErrorNotice message={regenerate.error} />
      <MapView key={map.generation} map={map} types={loaded.data.types} />
    </>
  );
}
