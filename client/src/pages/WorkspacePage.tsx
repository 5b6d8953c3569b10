import { lazy, Suspense } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { parseId } from '../format';
import { useSession } from '../session';
import { NotFoundPage } from './NotFoundPage';
import { Skeleton } from '../components/Skeleton';
import { loadWorkspaceModule, loadedWorkspaceModule } from '../workspace-module';

// Loaded on first use: OpenSeadragon, Yjs and the annotation schemas stay out of the shell's bundle.
const LazyWorkspace = lazy(async () => ({ default: (await loadWorkspaceModule()).Workspace }));

/**
 * `/images/:imageId`: the annotation workspace for one image (client/src/workspace/);
 * `?version=<id>` shows the image's annotations as that dataset version holds them, read-only.
 */
export function WorkspacePage() {
  const session = useSession();
  const imageId = parseId(useParams().imageId);
  const [params] = useSearchParams();
  const versionParam = params.get('version');
  const versionId = versionParam === null ? undefined : (parseId(versionParam) ?? undefined);
  if (imageId === null) return <NotFoundPage />;
  // Already here (preloaded as the page loaded): rendered at once, without suspending.
  const Workspace = loadedWorkspaceModule()?.Workspace ?? LazyWorkspace;
  return (
    <div className="workspace-page">
      <Suspense fallback={<Skeleton label="Loading the workspace…" rows={1} />}>
        <Workspace
          key={`${imageId}:${versionId ?? 'live'}`}
          imageId={imageId}
          {...(versionId === undefined ? {} : { versionId })}
          session={session}
        />
      </Suspense>
    </div>
  );
}
