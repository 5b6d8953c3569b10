// The workspace's code (a lazily loaded chunk: OpenSeadragon, Yjs, the schemas), asked for by the
// shell as the page loads when the address is an image's workspace, beside the session check and the
// early document fetch (early-document.ts). Once it is here the route renders the workspace at once:
// through React.lazy it would suspend, and React shows a suspended route's content no sooner than
// 300 ms after its fallback appeared.
import { workspaceImageId } from './early-document';
import type { Workspace } from './workspace/Workspace';

interface WorkspaceModule {
  readonly Workspace: typeof Workspace;
}

let pending: Promise<WorkspaceModule> | undefined;
let loaded: WorkspaceModule | undefined;

/** Starts loading the workspace's code (once); resolves with it. */
export function loadWorkspaceModule(): Promise<WorkspaceModule> {
  pending ??= import('./workspace/Workspace').then((module) => {
    loaded = module;
    return module;
  });
  return pending;
}

/** The workspace's code if it has arrived, else undefined. */
export function loadedWorkspaceModule(): WorkspaceModule | undefined {
  return loaded;
}

/** Starts loading the workspace's code if `location` is an image's workspace. */
export function preloadWorkspaceFor(location: Pick<Location, 'pathname'>): void {
  if (workspaceImageId(location.pathname) !== null) void loadWorkspaceModule();
}
