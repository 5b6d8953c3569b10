import { useSyncExternalStore } from 'react';
import type { SyncState } from '../live-document';
import type { WorkspaceController } from '../workspace-controller';
import { useWorkspace } from './useWorkspace';

/** The words for a sync state: always visible, so nobody wonders whether their work is safe. */
export function syncText(state: SyncState): string {
  switch (state.kind) {
    case 'connecting':
      return 'Connecting…';
    case 'saved':
      return 'All changes saved';
    case 'saving':
      return `Saving ${state.pending} change${state.pending === 1 ? '' : 's'}…`;
    case 'offline':
      return state.pending > 0
        ? `Offline: ${state.pending} change${state.pending === 1 ? '' : 's'} waiting (kept in this browser)`
        : 'Offline: changes are kept in this browser';
    case 'refused':
      return `The server refused a change (${state.reason}); reloading the annotations`;
    case 'version':
      return `Version "${state.name}": the annotations as they were (read-only)`;
  }
}

/** Sync state, read-only notice and the tools' last message. */
export function StatusBar({ controller }: { controller: WorkspaceController }) {
  const sync = useSyncExternalStore(controller.subscribeSync, controller.getSyncState);
  const s = useWorkspace(controller);
  return (
    <div className="status-bar">
      <span
        role="status"
        data-testid="sync-state"
        data-state={sync.kind}
        className={`sync sync-${sync.kind}`}
      >
        {syncText(sync)}
      </span>
      {s.readOnly ? <span className="read-only">View only: you cannot change annotations here.</span> : null}
      <span role="alert" className="status-message">
        {s.message ?? ''}
      </span>
    </div>
  );
}
