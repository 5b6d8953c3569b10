import { lazy, Suspense } from 'react';
import { useParams } from 'react-router';
import { Skeleton } from '../components/Skeleton';
import { parseId } from '../format';
import { NotFoundPage } from '../pages/NotFoundPage';

// Loaded on first use: OpenSeadragon stays out of the shell's bundle.
const MapScreen = lazy(async () => ({ default: (await import('./MapScreen')).MapScreen }));

/** `/maps/:mapId`: one annotation map (client/src/maps/). */
export function MapPage() {
  const mapId = parseId(useParams().mapId);
  if (mapId === null) return <NotFoundPage />;
  return (
    <Suspense fallback={<Skeleton label="Loading the map…" rows={1} />}>
      <MapScreen key={mapId} mapId={mapId} />
    </Suspense>
  );
}
