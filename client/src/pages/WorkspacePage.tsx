import { lazy, Suspense } from 'react';
import { useParams } from 'react-router';
import { parseId } from '../format';
import { useSession } from '../session';
import { NotFoundPage } from './NotFoundPage';

// Loaded on first use: OpenSeadragon, Yjs and the annotation schemas stay out of the shell's bundle.
const Workspace = lazy(async () => ({ default: (await import('../workspace/Workspace')).Workspace }));

/** `/images/:imageId`: the annotation workspace for one image (client/src/workspace/). */
export function WorkspacePage() {
  const session = useSession();
  const imageId = parseId(useParams().imageId);
  if (imageId === null) return <NotFoundPage />;
  return (
    <div className="workspace-page">
      <Suspense
        fallback={
          <p className="muted" role="status">
            Loading the workspace…
          </p>
        }
      >
        <Workspace key={imageId} imageId={imageId} session={session} />
      </Suspense>
    </div>
  );
}
