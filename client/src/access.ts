import type { SessionInfo, TeamMembership } from '@tessera/shared';

/** Collaboration modes as the image set stores them (EXACT's collaboration_type). */
export const COLLABORATION_MODES = [
  { value: 0, label: 'Collaborative', hint: 'Everyone sees and edits every annotation.' },
  { value: 1, label: 'Blind', hint: 'Each annotator sees only their own annotations; team admins see all.' },
  { value: 2, label: 'Second opinion', hint: 'Annotations are verified by others than their creator.' },
] as const;

/**
 * The most agreeing verdicts a set may require (the server's image-set schema says the same; a value
 * import of @tessera/shared would pull its schemas into the shell's bundle).
 */
export const MAX_REQUIRED_VERIFICATIONS = 10;

/** The label of a collaboration mode. */
export function collaborationLabel(value: number): string {
  return COLLABORATION_MODES.find((mode) => mode.value === value)?.label ?? `Mode ${value}`;
}

/**
 * Whether the signed-in user administers a team: the server decides every write (403 otherwise);
 * this only chooses which controls to show.
 */
export function administers(session: SessionInfo, mine: readonly TeamMembership[], team: number): boolean {
  return session.user.is_superuser || mine.some((m) => m.team === team && m.is_admin);
}
