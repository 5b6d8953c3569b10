// Annotation records for the workspace's unit tests: a live annotation of type 1 by user 1, with the
// fields a test names laid over it.
import type { AnnotationRecord, Vector } from '@tessera/shared';

export function annotationRecord(vector: Vector | null, o: Partial<AnnotationRecord> = {}): AnnotationRecord {
  return {
    type: 1,
    vector,
    deleted: false,
    description: '',
    meta: null,
    created: { by: 1, at: 1, generated: false, score: null },
    edited: { by: 1, at: 1 },
    ...o,
  };
}
