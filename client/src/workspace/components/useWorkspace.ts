import { useSyncExternalStore } from 'react';
import type { WorkspaceController, WorkspaceSnapshot } from '../workspace-controller';

/** The controller's current snapshot; re-renders the caller when it changes. */
export function useWorkspace(controller: WorkspaceController): WorkspaceSnapshot {
  return useSyncExternalStore(controller.subscribe, controller.getSnapshot);
}
