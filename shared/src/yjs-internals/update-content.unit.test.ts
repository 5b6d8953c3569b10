import { createAnnotation, updateFields } from '../annotations/document.js';
import { alice, box, captureUpdate, clientOf, serverDoc } from '../annotations/factories.js';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addsNothing } from './update-content.js';

describe('addsNothing', () => {
  it('is true for empty updates and for what the document has, false for news', () => {
    const { doc, ids } = serverDoc(2);
    const client = clientOf(doc);
    expect(addsNothing(doc, Y.encodeStateAsUpdate(new Y.Doc()))).toBe(true);
    expect(addsNothing(doc, Y.encodeStateAsUpdate(client))).toBe(true);
    const created = captureUpdate(client, (d) => createAnnotation(d, box(), alice));
    expect(addsNothing(doc, created)).toBe(false);
    const edit = captureUpdate(client, (d) => updateFields(d, ids[0] ?? '', { description: 'x' }, alice));
    expect(addsNothing(doc, edit)).toBe(false);
    Y.applyUpdate(doc, created);
    Y.applyUpdate(doc, edit);
    // A reconnect's sync step 2: nothing new, but the whole delete set of the overwritten values.
    expect(addsNothing(doc, Y.encodeStateAsUpdate(client, Y.encodeStateVector(doc)))).toBe(true);
  });
});
