import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  annotationsOf,
  createAnnotation,
  editKey,
  editsOf,
  readRecord,
  markDeleted,
  setVerification,
  updateFields,
  verificationKey,
  verificationsOf,
} from './document.js';
import {
  alice,
  bob,
  box,
  captureUpdate,
  clientOf,
  encodeUpdate,
  itemContent,
  serverDoc,
  types,
} from './factories.js';
import { mapKeyItem } from '../yjs-internals/doc-internals.js';
import { validateUpdate, type Role, type ValidationResult } from './validate-update.js';

const as = (userId: number, role: Role) => ({ sender: { userId, role }, types });
const annotator = as(1, 'annotator');

function check(server: Y.Doc, change: (client: Y.Doc) => void, options = annotator): ValidationResult {
  const update = captureUpdate(clientOf(server), change);
  return validateUpdate(server, update, options);
}

function refused(result: ValidationResult): string {
  expect(result.ok).toBe(false);
  return result.ok ? '' : result.reason;
}

describe('validateUpdate accepts normal client edits', () => {
  const { doc: server, ids } = serverDoc(1);
  const id = ids[0] ?? '';

  it('create', () => {
    expect(check(server, (c) => createAnnotation(c, box({ meta: { a: [1, 2] } }), alice))).toEqual({
      ok: true,
    });
  });
  it('create, as clients before session 4 wrote it (the record as an object, not its text)', () => {
    const { id: fresh, ...input } = box();
    const at = 1_764_000_000_000;
    const record = {
      ...input,
      deleted: false,
      description: '',
      meta: null,
      created: { by: 1, at, generated: false, score: null },
      edited: { by: 1, at },
    };
    expect(check(server, (c) => annotationsOf(c).set(fresh, record))).toEqual({ ok: true });
  });
  it('move', () => {
    expect(
      check(server, (c) => updateFields(c, id, { vector: { x1: 0, y1: 0, x2: 5, y2: 5 } }, alice)),
    ).toEqual({
      ok: true,
    });
  });
  it('relabel (with a vector that fits the new type)', () => {
    expect(check(server, (c) => updateFields(c, id, { type: 5, description: 'x' }, alice))).toEqual({
      ok: true,
    });
  });
  it('delete flag', () => {
    expect(check(server, (c) => markDeleted(c, id, alice))).toEqual({ ok: true });
  });
  it('own verification, by an annotator and by a verifier', () => {
    expect(
      check(server, (c) => {
        setVerification(c, id, true, alice);
      }),
    ).toEqual({ ok: true });
    expect(
      check(
        server,
        (c) => {
          setVerification(c, id, true, bob);
        },
        as(2, 'verifier'),
      ),
    ).toEqual({ ok: true });
  });
  it('an empty update, even from a viewer', () => {
    expect(validateUpdate(server, Y.encodeStateAsUpdate(server), as(3, 'viewer'))).toEqual({ ok: true });
  });
  it('edits of an annotation whose type was withdrawn later, as long as the type stays', () => {
    const withdrawn = { sender: annotator.sender, types: new Map([[5, { vectorType: 1 }]]) };
    expect(check(server, (c) => updateFields(c, id, { description: 'old type' }, alice), withdrawn)).toEqual({
      ok: true,
    });
    const reason = refused(check(server, (c) => updateFields(c, id, { type: 2 }, alice), withdrawn));
    expect(reason).toMatch(/type 2 is not allowed/);
  });
  it('offline work: create, then edit twice, sent at once', () => {
    const update = captureUpdate(clientOf(server), (c) => {
      const created = createAnnotation(c, box(), alice);
      updateFields(c, created, { vector: { x1: 1, y1: 1, x2: 2, y2: 2 } }, alice);
      updateFields(c, created, { vector: { x1: 3, y1: 3, x2: 4, y2: 4 }, description: 'b' }, alice);
      updateFields(c, id, { deleted: true }, alice);
    });
    expect(validateUpdate(server, update, annotator)).toEqual({ ok: true });
  });
  it.each([
    ['loses to', 5],
    ['wins over', 5000],
  ])('a field edit that %s a concurrent edit the server already has', (_, lateClient) => {
    const { doc } = serverDoc(0);
    const target = createAnnotation(doc, box(), alice);
    const late = clientOf(doc);
    late.clientID = lateClient; // YATA orders concurrent map writes by client id: the higher one wins
    doc.clientID = 1000;
    updateFields(doc, target, { description: 'server' }, bob);
    updateFields(late, target, { description: 'late' }, alice);
    // The late client hears of the server's edit before it sends its own (sync order on reconnect).
    Y.applyUpdate(late, Y.encodeStateAsUpdate(doc));
    const update = Y.encodeStateAsUpdate(late, Y.encodeStateVector(doc));
    expect(validateUpdate(doc, update, annotator)).toEqual({ ok: true });
    Y.applyUpdate(doc, update);
    expect(readRecord(doc, target)?.['description']).toBe(lateClient > 1000 ? 'late' : 'server');
  });
});

describe('validateUpdate refuses', () => {
  const { doc: server, ids } = serverDoc(1);
  const id = ids[0] ?? '';

  it("a viewer's write", () => {
    expect(refused(check(server, (c) => markDeleted(c, id, alice), as(1, 'viewer')))).toMatch(/viewer/);
    expect(
      refused(
        check(
          server,
          (c) => {
            setVerification(c, id, true, alice);
          },
          as(1, 'viewer'),
        ),
      ),
    ).toMatch(/viewer/);
  });
  it("a verifier's annotation edit", () => {
    expect(refused(check(server, (c) => markDeleted(c, id, bob), as(2, 'verifier')))).toMatch(
      /verifiers may only verify/,
    );
  });
  it('a malformed vector', () => {
    const reason = refused(
      check(server, (c) => editsOf(c).set(editKey(id, 'vector'), { x1: 1, y1: 2, x2: 3 })),
    );
    expect(reason).toMatch(/vector.*y2 is missing/);
  });
  it('a vector that does not fit the type', () => {
    const triangle = { x1: 0, y1: 0, x2: 1, y2: 1, x3: 0, y3: 1 };
    expect(refused(check(server, (c) => updateFields(c, id, { vector: triangle }, alice)))).toMatch(
      /a box needs 2/,
    );
  });
  it('an unknown annotation type', () => {
    expect(refused(check(server, (c) => updateFields(c, id, { type: 99 }, alice)))).toMatch(
      /type 99 is not allowed/,
    );
    expect(refused(check(server, (c) => createAnnotation(c, box({ type: 77 }), alice)))).toMatch(/77/);
  });
  it("someone else's verification", () => {
    const reason = refused(
      check(
        server,
        (c) => {
          setVerification(c, id, true, bob);
        },
        annotator,
      ),
    );
    expect(reason).toMatch(/may not set the verification of user 2/);
  });
  it('a verification of an annotation that does not exist', () => {
    const key = verificationKey('00000000-0000-4000-8000-ffffffffffff', 1);
    expect(refused(check(server, (c) => verificationsOf(c).set(key, { verified: true, at: 1 })))).toMatch(
      /unknown/,
    );
  });
  it('a Y.Text where JSON is expected', () => {
    const reason = refused(
      check(server, (c) => editsOf(c).set(editKey(id, 'description'), new Y.Text('hi'))),
    );
    expect(reason).toMatch(/must be a JSON value, not Y.Text/);
  });
  it('a shared type where the annotation record is expected (the layout before the edits map)', () => {
    const reason = refused(check(server, (c) => annotationsOf(c).set(box().id, new Y.Map())));
    expect(reason).toMatch(/must be one JSON record, not Y.Map/);
    const filled = refused(
      check(server, (c) => annotationsOf(c).set(box().id, new Y.Map<unknown>([['type', 1]]))),
    );
    expect(filled).toMatch(/Y.Map|annotation map/);
  });
  it('deleting an annotation', () => {
    expect(
      refused(
        check(server, (c) => {
          annotationsOf(c).delete(id);
        }),
      ),
    ).toMatch(/cannot be deleted/);
  });
  it('replacing an annotation', () => {
    const reason = refused(check(server, (c) => annotationsOf(c).set(id, readRecord(c, id))));
    expect(reason).toMatch(/exists already/);
  });
  it('removing a field', () => {
    const { doc } = serverDoc(0);
    const target = createAnnotation(doc, box(), alice);
    updateFields(doc, target, { description: 'edited once' }, alice);
    const reason = refused(
      check(doc, (c) => {
        editsOf(c).delete(editKey(target, 'description'));
      }),
    );
    expect(reason).toMatch(/removed/);
  });
  it('writing a field and removing it in one update', () => {
    const reason = refused(
      check(server, (c) => {
        editsOf(c).set(editKey(id, 'description'), 'brief');
        editsOf(c).delete(editKey(id, 'description'));
      }),
    );
    expect(reason).toMatch(/field description of annotation .* would be removed/);
  });
  it('removing a verification (set verified false instead)', () => {
    const { doc } = serverDoc(0);
    const target = createAnnotation(doc, box(), alice);
    setVerification(doc, target, true, alice);
    const reason = refused(
      check(doc, (c) => {
        verificationsOf(c).delete(verificationKey(target, 1));
      }),
    );
    expect(reason).toMatch(/would be removed/);
  });
  it('unknown top-level entries and unknown fields', () => {
    expect(refused(check(server, (c) => c.getMap('evil').set('a', 1)))).toMatch(
      /unknown top-level entry "evil"/,
    );
    expect(
      refused(
        check(server, (c) => {
          c.getText('notes').insert(0, 'x');
        }),
      ),
    ).toMatch(/unknown top-level/);
    expect(refused(check(server, (c) => editsOf(c).set(`${id}/colour`, 'red')))).toMatch(/not an edit key/);
    expect(refused(check(server, (c) => editsOf(c).set('colour', 'red')))).toMatch(/not an edit key/);
  });
  it('a forged creator, at creation and afterwards', () => {
    expect(refused(check(server, (c) => createAnnotation(c, box(), bob)))).toMatch(/in the name of user 2/);
    const stamp = { by: 1, at: 5, generated: false, score: null };
    expect(refused(check(server, (c) => editsOf(c).set(editKey(id, 'created'), stamp)))).toMatch(
      /never changes/,
    );
  });
  it('an edit stamp in the name of another user', () => {
    expect(refused(check(server, (c) => updateFields(c, id, { description: 'x' }, bob)))).toMatch(
      /in the name of user 2/,
    );
  });
  it('an edit without an edit stamp', () => {
    const reason = refused(check(server, (c) => editsOf(c).set(editKey(id, 'description'), 'quiet')));
    expect(reason).toMatch(/must carry an edit stamp/);
  });
  it('an annotation created without all its fields', () => {
    const reason = refused(check(server, (c) => annotationsOf(c).set(box().id, { type: 1 })));
    expect(reason).toMatch(/vector/);
    const asText = refused(check(server, (c) => annotationsOf(c).set(box().id, '{"type": 1}')));
    expect(asText).toMatch(/vector/);
  });
  it('a record as created that is not the JSON text of an object', () => {
    for (const text of ['[1, 2]', '{"type": 1', '"a string"', '']) {
      const reason = refused(check(server, (c) => annotationsOf(c).set(box().id, text)));
      expect(reason).toMatch(/not the JSON text of an object/);
    }
  });
  it('a record text too large to parse', () => {
    const text = `{"description": "${'x'.repeat(1_000_001)}"}`;
    const reason = refused(check(server, (c) => annotationsOf(c).set(box().id, text)));
    expect(reason).toMatch(/larger than 1000000 bytes/);
  });
  it('meta data that is too large, or not JSON', () => {
    const big = 'x'.repeat(20_000);
    expect(refused(check(server, (c) => updateFields(c, id, { meta: { big } }, alice)))).toMatch(/meta data/);
    expect(refused(check(server, (c) => updateFields(c, id, { meta: new Uint8Array(3) }, alice)))).toMatch(
      /JSON/,
    );
  });
  it('updates that depend on changes the server lacks', () => {
    const client = clientOf(server);
    captureUpdate(client, (c) => updateFields(c, id, { description: 'a' }, alice));
    const second = captureUpdate(client, (c) => updateFields(c, id, { description: 'b' }, alice));
    expect(refused(validateUpdate(server, second, annotator))).toMatch(/lacks/);
  });
  it('garbage', () => {
    expect(refused(validateUpdate(server, new Uint8Array([1, 2, 3, 4, 5]), annotator))).toMatch(/update/);
  });
});

describe('validateUpdate on crafted updates', () => {
  const { doc: server, ids } = serverDoc(1);
  const id = ids[0] ?? '';
  // An earlier edit, so the crafted one overwrites it: its items then have origins.
  updateFields(server, id, { description: 'first' }, alice);
  const client = clientOf(server);
  const edit = captureUpdate(client, (c) => updateFields(c, id, { description: 'crafted' }, alice));
  const items = Y.decodeUpdate(edit).structs.filter((s): s is Y.Item => s instanceof Y.Item);
  const [first, second] = items;
  if (first === undefined || second === undefined) throw new Error('expected two items');
  const rebuilt = (changes: Partial<Pick<Y.Item, 'origin' | 'rightOrigin' | 'content'>>) => {
    const origin = 'origin' in changes ? (changes.origin ?? null) : first.origin;
    const rightOrigin = changes.rightOrigin ?? first.rightOrigin;
    const { parentSub } = first;
    const content = changes.content ?? first.content;
    const parent = first.parent as Y.ID | null;
    return new Y.Item(first.id, null, origin, null, rightOrigin, parent, parentSub, content);
  };

  it('accepts a decoded and re-encoded client update (the crafting itself is faithful)', () => {
    expect(validateUpdate(server, encodeUpdate(items), annotator)).toEqual({ ok: true });
  });
  it('ignores what the server has already, for anyone', () => {
    const known = clientOf(server);
    Y.applyUpdate(known, edit);
    expect(validateUpdate(known, edit, as(3, 'viewer'))).toEqual({ ok: true });
  });
  it('refuses a right origin on a map entry', () => {
    const update = encodeUpdate([rebuilt({ rightOrigin: first.origin }), second]);
    expect(refused(validateUpdate(server, update, annotator))).toMatch(/no right origin/);
  });
  it('refuses string content where JSON is expected', () => {
    const update = encodeUpdate([rebuilt({ content: itemContent(new Y.ContentString('crafted')) }), second]);
    expect(refused(validateUpdate(server, update, annotator))).toMatch(/not ContentString/);
  });
  it('refuses a reference to a later change of the same client', () => {
    const update = encodeUpdate([
      rebuilt({ origin: Y.createID(first.id.client, first.id.clock + 5) }),
      second,
    ]);
    expect(refused(validateUpdate(server, update, annotator))).toMatch(/later change of its own client/);
  });
  it('refuses deletions of content the server lacks', () => {
    const update = encodeUpdate(items, [{ client: 12345, clock: 0, len: 3 }]);
    expect(refused(validateUpdate(server, update, annotator))).toMatch(/lacks/);
  });
  it('refuses a struct that repeats part of what the server has', () => {
    const known = clientOf(server);
    Y.applyUpdate(known, edit);
    const overlap = new Y.Item(
      second.id,
      null,
      second.origin,
      null,
      null,
      null,
      null,
      itemContent(new Y.ContentDeleted(2)),
    );
    expect(refused(validateUpdate(known, encodeUpdate([overlap]), annotator))).toMatch(/repeats part/);
  });
  it('refuses list insertions into the annotations map', () => {
    const update = encodeUpdate([
      new Y.Item(first.id, null, null, null, null, 'annotations' as never, null, first.content),
    ]);
    expect(refused(validateUpdate(server, update, annotator))).toMatch(/list insertions/);
  });
  it('refuses an update that would cost too much to place (long runs on one key) by its work budget', () => {
    const current = mapKeyItem(editsOf(server), editKey(id, 'description'));
    if (current === undefined) throw new Error('no description item');
    const run = 10_000;
    const structs = Array.from({ length: 30 }, (_, i) => {
      const origin = i === 0 ? current.lastId : Y.createID(777, i * run - 1);
      const content = itemContent(new Y.ContentDeleted(run));
      return new Y.Item(Y.createID(777, i * run), null, origin, null, null, null, null, content);
    });
    // Refused by counting the work, not by a clock: how long a refusal takes is for bench/.
    expect(refused(validateUpdate(server, encodeUpdate(structs), annotator))).toMatch(/too much work/);
  });
});

describe('validateUpdate keeps annotations in their region (G2)', () => {
  const region = (x: number, y: number) => ({
    ...annotator,
    placement: { kind: 'region', region: { x, y }, size: 4096 } as const,
  });
  const index = { ...annotator, placement: { kind: 'index' } as const };
  const label = { type: 3, vector: null };

  it('accepts a shape centred in the region, drawn across its border too', () => {
    const { doc } = serverDoc(0);
    expect(check(doc, (c) => createAnnotation(c, box(), alice), region(0, 0))).toEqual({ ok: true });
    const across = { vector: { x1: 4000, y1: 10, x2: 4150, y2: 20 } };
    expect(check(doc, (c) => createAnnotation(c, box(across), alice), region(0, 0))).toEqual({ ok: true });
  });

  it('refuses a shape centred in another region, and image-level labels', () => {
    const { doc } = serverDoc(0);
    expect(refused(check(doc, (c) => createAnnotation(c, box(), alice), region(1, 0)))).toMatch(
      /lies in region 0\.0, not in this one/,
    );
    expect(refused(check(doc, (c) => createAnnotation(c, box(label), alice), region(0, 0)))).toMatch(
      /belong to the index document/,
    );
  });

  it('the index document takes image-level labels only, and no write to the region index', () => {
    const { doc } = serverDoc(0);
    expect(check(doc, (c) => createAnnotation(c, box(label), alice), index)).toEqual({ ok: true });
    expect(refused(check(doc, (c) => createAnnotation(c, box(), alice), index))).toMatch(
      /belong to a region/,
    );
    expect(refused(check(doc, (c) => c.getMap('regionIndex').set('0.0', '{}'), index))).toMatch(
      /unknown top-level entry "regionIndex"/,
    );
  });

  it('a move across the border stays one edit of the annotation in its own document (G1)', () => {
    const { doc, ids } = serverDoc(1);
    const moved = { vector: { x1: 9000, y1: 20, x2: 9020, y2: 40 } };
    expect(check(doc, (c) => updateFields(c, ids[0] ?? '', moved, alice), region(0, 0))).toEqual({
      ok: true,
    });
  });
});
