/** image_sets.collaboration_type: how the readers of a set annotate its images. */
export const COOPERATIVE = 0;
/** Each reader annotates their own copy of every image, unseen by the other readers (competitive). */
export const BLIND = 1;
/** One shared document per image; readers verify each other's annotations. */
export const SECOND_OPINION = 2;

export type CollaborationMode = typeof COOPERATIVE | typeof BLIND | typeof SECOND_OPINION;

/** Whether a set keeps one document per reader and image (blind) rather than one shared document. */
export function isBlind(mode: number): boolean {
  return mode === BLIND;
}
