// What React sees of the workspace: one immutable snapshot, replaced on every change.
import { VectorType } from '@tessera/shared';
import type { Tool } from './interaction';
import type { Collaborator } from './presence';
import { NEUTRAL_FILTERS, type ImageFilters } from './viewer-binding';
import type { WorkspaceData } from './workspace-data';

export interface WorkspaceSnapshot {
  readonly tool: Tool;
  readonly activeType: number | null;
  readonly selection: ReadonlySet<string>;
  readonly frame: number;
  readonly filters: ImageFilters;
  readonly collaborators: readonly Collaborator[];
  readonly following: number | null;
  readonly readOnly: boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /** Grows with every change of the annotations (lists recount when it moves). */
  readonly version: number;
  /** Grows with every change of a verdict (review views recount when it moves). */
  readonly verdictVersion: number;
  /** The last thing the tools could not do, for the status line. */
  readonly message: string | null;
}

/** The state a freshly opened image starts in: selecting, the first shape type ready for drawing. */
export function initialSnapshot(data: WorkspaceData): WorkspaceSnapshot {
  const firstDrawable = data.types.find((t) => t.vector_type !== VectorType.global);
  return {
    tool: 'select',
    activeType: firstDrawable?.id ?? null,
    selection: new Set(),
    frame: data.image.defaultFrame,
    filters: NEUTRAL_FILTERS,
    collaborators: [],
    following: null,
    readOnly: false,
    canUndo: false,
    canRedo: false,
    version: 0,
    verdictVersion: 0,
    message: null,
  };
}
