// One sync state for the status bar of an image with regions (G4): its index document's and its open
// region documents' together, so work waiting in any of them is counted and said.
import type { SyncState } from './live-document';

function waiting(state: SyncState): number {
  return state.kind === 'saving' || state.kind === 'offline' ? state.pending : 0;
}

/** The index document's state `main` with the regions' `parts` (a region still loading is no news). */
export function combineSync(main: SyncState, parts: readonly SyncState[]): SyncState {
  if (main.kind === 'refused' || main.kind === 'version') return main;
  const refused = parts.find((p) => p.kind === 'refused');
  if (refused !== undefined) return refused;
  const pending = parts.reduce((sum, p) => sum + waiting(p), waiting(main));
  if (main.kind === 'offline' || parts.some((p) => p.kind === 'offline')) return { kind: 'offline', pending };
  if (main.kind === 'connecting') return main;
  if (main.kind === 'saving' || parts.some((p) => p.kind === 'saving')) return { kind: 'saving', pending };
  return { kind: 'saved' };
}
