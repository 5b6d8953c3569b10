import { describe, expect, it } from 'vitest';
import { annotationJson, annotationsJson, type AnnotationJsonRow } from './annotation-json.js';
import type { AnnotationRow } from './annotations.repo.js';
import { presentAnnotation } from './annotations.service.js';

/** The same projected annotation as both queries read it (JSON columns as text, or parsed). */
function rows(over: Partial<AnnotationRow>): { json: AnnotationJsonRow; row: AnnotationRow } {
  const row: AnnotationRow = {
    id: 7,
    unique_identifier: '2f1c7f0e-8d7a-4a55-9d43-3f7c2f1b9a10',
    document: 'image.3',
    image_id: 3,
    image_set_id: 2,
    annotation_type_id: 5,
    vector: { x1: 1.5, y1: 2, x2: 30, y2: 40 },
    deleted: false,
    description: 'mitosis',
    meta_data: null,
    user_id: 9,
    time: '2024-05-01 10:11:12.1234+00',
    last_editor_id: null,
    last_edit_time: '2024-05-01 10:11:12+00',
    generated: true,
    score: 0.25,
    ...over,
  };
  const json: AnnotationJsonRow = {
    ...row,
    vector: row.vector === null ? null : JSON.stringify(row.vector),
    meta_data: row.meta_data === null ? null : JSON.stringify(row.meta_data),
  };
  return { json, row };
}

describe('annotationJson', () => {
  it.each([
    ['a plain row', {}],
    [
      'no vector, metadata, no users, no score',
      { vector: null, meta_data: { a: [1, 'x"y'] }, user_id: null, score: null },
    ],
    ['text that JSON must escape', { description: 'q " b \\ n \n t \t u \u2028 😀 \u0001' }],
    [
      'microseconds and whole seconds',
      { time: '2024-05-01 10:11:12.123456+00', last_edit_time: '1999-12-31 23:59:59+00' },
    ],
    ['a score JSON cannot hold', { score: Number.NaN }],
    [
      'a deleted annotation by nobody',
      { deleted: true, generated: false, user_id: null, last_editor_id: null },
    ],
  ] as const)('writes what presentAnnotation presents: %s', (_name, over) => {
    const { json, row } = rows(over);
    const text = annotationJson(json);
    expect(text).toBe(JSON.stringify(presentAnnotation(row)));
  });

  it('refuses a timestamp it cannot read, as the object path does', () => {
    const { json } = rows({ time: '2024-05-01 12:11:12+02' });
    expect(() => annotationJson(json)).toThrow('Unexpected timestamp');
  });

  it('writes a page as an array', () => {
    const a = rows({ id: 1 }).json;
    const b = rows({ id: 2 }).json;
    expect(JSON.parse(annotationsJson([a, b]))).toHaveLength(2);
    expect(annotationsJson([])).toBe('[]');
  });
});
