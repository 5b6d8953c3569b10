import { describe, expect, it } from 'vitest';
import { isStorableText, UNSTORABLE_TEXT_MESSAGE } from '../api/common.js';
import { restAnnotationChange, restAnnotationWrite } from '../api/annotations.js';
import { imageSetCreate } from '../api/image-sets.js';
import { teamWrite } from '../api/teams.js';
import { createAnnotation, updateFields } from './document.js';
import { alice, box, captureUpdate, clientOf, serverDoc, types } from './factories.js';
import { annotationRecord } from './schema.js';
import { validateUpdate } from './validate-update.js';

// Text PostgreSQL refuses in text and jsonb: NUL, and surrogates without their pair.
const unstorable = ['a\u0000b', '\u0000', 'x\uD800', '\uDC00y', 'ab\uDBFF\uDBFFcd'];
const storable = ['', 'plain', 'emoji \uD83D\uDE00', 'ümlaut', 'tab\tnew\nline', '\uFFFD'];

describe('text PostgreSQL can store', () => {
  it.each(unstorable)('refuses %j', (value) => {
    expect(isStorableText(value)).toBe(false);
  });
  it.each(storable)('accepts %j', (value) => {
    expect(isStorableText(value)).toBe(true);
  });
});

describe('request schemas refuse unstorable text with a message', () => {
  const issue = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
    result.error?.issues.map((i) => i.message);

  it.each(unstorable)('an annotation description %j', (description) => {
    const write = restAnnotationWrite.safeParse({
      annotation_type: 1,
      image: 1,
      vector: { x1: 1, y1: 1, x2: 2, y2: 2 },
      description,
    });
    expect(issue(write)).toEqual([UNSTORABLE_TEXT_MESSAGE]);
    expect(issue(restAnnotationChange.safeParse({ description }))).toEqual([UNSTORABLE_TEXT_MESSAGE]);
  });

  it('meta data strings and keys', () => {
    const key = restAnnotationChange.safeParse({ meta_data: { ['k\u0000']: 1 } });
    const value = restAnnotationChange.safeParse({ meta_data: { k: ['\uD800'] } });
    expect(issue(key)?.[0]).toContain(UNSTORABLE_TEXT_MESSAGE);
    expect(issue(value)?.[0]).toContain(UNSTORABLE_TEXT_MESSAGE);
  });

  it('team and image set names', () => {
    expect(issue(teamWrite.safeParse({ name: 'lab\u0000' }))).toEqual([UNSTORABLE_TEXT_MESSAGE]);
    expect(issue(imageSetCreate.safeParse({ name: 'set\u0000', team: 1 }))).toContain(
      UNSTORABLE_TEXT_MESSAGE,
    );
  });

  it('the document record schema', () => {
    const record = {
      type: 1,
      vector: null,
      deleted: false,
      description: 'bad\u0000',
      meta: null,
      created: { by: 1, at: 0, generated: false, score: null },
      edited: { by: 1, at: 0 },
    };
    expect(annotationRecord.safeParse(record).success).toBe(false);
  });
});

describe('live updates with unstorable text are refused like other invalid updates', () => {
  const sender = { sender: { userId: 1, role: 'annotator' as const }, types };

  it.each(unstorable)('a new annotation with description %j', (description) => {
    const { doc } = serverDoc(0);
    const update = captureUpdate(clientOf(doc), (c) => createAnnotation(c, box({ description }), alice));
    const result = validateUpdate(doc, update, sender);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toContain(UNSTORABLE_TEXT_MESSAGE);
  });

  // A raw Yjs string carries no lone surrogate (Yjs writes UTF-8, which has none): NUL is what arrives.
  it('an edit of a description, and of meta data', () => {
    const { doc, ids } = serverDoc(1);
    const id = ids[0] ?? '';
    const description = validateUpdate(
      doc,
      captureUpdate(clientOf(doc), (c) => updateFields(c, id, { description: 'x\u0000' }, alice)),
      sender,
    );
    const meta = validateUpdate(
      doc,
      captureUpdate(clientOf(doc), (c) => updateFields(c, id, { meta: { note: 'y\u0000' } }, alice)),
      sender,
    );
    expect(description.ok).toBe(false);
    expect(meta.ok).toBe(false);
    const fine = validateUpdate(
      doc,
      captureUpdate(clientOf(doc), (c) => updateFields(c, id, { description: 'fine \uD83D\uDE00' }, alice)),
      sender,
    );
    expect(fine).toEqual({ ok: true });
  });
});
