import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  annotationsOf,
  createAnnotation,
  documentProblems,
  editsOf,
  listAnnotations,
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
  uuid,
} from './factories.js';
import { hasPending } from '../yjs-internals/doc-internals.js';
import { validateUpdate, type Role } from './validate-update.js';

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Random = ReturnType<typeof random>;

const actors = [alice, bob];
const roles: Role[] = ['viewer', 'annotator', 'annotator', 'annotator', 'verifier'];
const fields = ['type', 'vector', 'deleted', 'description', 'meta', 'created', 'edited', 'colour'];

function junk(r: Random): unknown {
  return r.pick<() => unknown>([
    () => r.int(10),
    () => 'text',
    () => null,
    () => true,
    () => ({ x1: 1, y1: 1, x2: r.int(5), y2: r.int(5) }),
    () => ({ x1: 1, y1: 1 }),
    () => ({ by: r.pick([1, 2, 3]), at: 5 }),
    () => ({ by: r.pick([1, 2]), at: 5, generated: false, score: null }),
    () => ({ verified: r.chance(0.5), at: 7 }),
    () => new Y.Text('t'),
    () => new Y.Map([['k', 1]]),
    () => new Y.Array<number>(),
    () => new Uint8Array([1, 2]),
    () => ['a', { b: 1 }],
    () => 'x'.repeat(r.int(20_000)),
  ])();
}

/** One or a few random edits, valid or hostile, made on a client document. */
function edit(r: Random, doc: Y.Doc, sender: number): void {
  const ids = [...annotationsOf(doc).keys()];
  const id = ids.length > 0 ? r.pick(ids) : uuid();
  const actor = r.chance(0.8) ? { ...alice, userId: sender } : r.pick(actors);
  const valid: (() => unknown)[] = [
    () =>
      updateFields(
        doc,
        id,
        { vector: { x1: r.int(9), y1: r.int(9), x2: 10 + r.int(9), y2: 10 + r.int(9) } },
        actor,
      ),
    () => updateFields(doc, id, { type: r.pick([1, 5]), description: r.pick(['', 'a', 'b']) }, actor),
    () => markDeleted(doc, id, actor),
    () => {
      setVerification(doc, id, r.chance(0.5), actor);
    },
    () => createAnnotation(doc, box(), actor),
  ];
  const hostile: (() => unknown)[] = [
    () => updateFields(doc, id, { type: r.pick([2, 3, 4, 99]) }, actor),
    () => createAnnotation(doc, box({ type: r.pick([1, 1, 5, 3, 99]) }), actor),
    () => editsOf(doc).set(`${id}/${r.pick(fields)}`, junk(r)),
    () => editsOf(doc).set(`${r.chance(0.8) ? id : uuid()}/${r.pick(fields)}`, junk(r)),
    () => {
      editsOf(doc).delete(`${id}/${r.pick(fields)}`);
    },
    () => editsOf(doc).set(r.pick([id, `${id}/`, `${id}//type`, 'type']), junk(r)),
    () => {
      annotationsOf(doc).delete(id);
    },
    () => annotationsOf(doc).set(r.chance(0.5) ? id : uuid(), new Y.Map([['type', 1]])),
    () => annotationsOf(doc).set(r.chance(0.3) ? id : uuid(), junk(r)),
    () => {
      const record = readRecord(doc, id);
      if (record !== null) annotationsOf(doc).set(uuid(), { ...record, [r.pick(fields)]: junk(r) });
    },
    () => {
      // A record's text with junk in a field, or cut short.
      const record = readRecord(doc, id);
      if (record === null) return;
      const text = JSON.stringify({ ...record, [r.pick(fields)]: junk(r) });
      annotationsOf(doc).set(uuid(), r.chance(0.5) ? text : text.slice(0, r.int(text.length)));
    },
    () =>
      verificationsOf(doc).set(
        verificationKey(r.chance(0.8) ? id : uuid(), r.pick([1, 2])),
        junk(r) as never,
      ),
    () => {
      verificationsOf(doc).delete(verificationKey(id, r.pick([1, 2])));
    },
    () => doc.getMap(r.pick(['other', 'annotations2'])).set('a', 1),
    () => {
      doc.getText('notes').insert(0, 'hello');
    },
    () => {
      const nested = editsOf(doc).get(`${id}/meta`);
      if (nested instanceof Y.Map) nested.set('deep', 1);
    },
  ];
  for (let i = 1 + r.int(3); i > 0; i--) {
    try {
      r.pick(r.chance(0.6) ? valid : hostile)();
    } catch {
      // helpers refuse some edits locally (missing annotation); that is fine
    }
  }
}

/** A random ID: one the server has, one just past its state, or made up. */
function someId(r: Random, server: Y.Doc): Y.ID {
  const clients = [...Y.decodeStateVector(Y.encodeStateVector(server)).keys()];
  const client = clients.length > 0 && r.chance(0.8) ? r.pick(clients) : r.int(1000);
  const state = Y.getState(server.store, client);
  return Y.createID(client, r.chance(0.8) ? r.int(Math.max(1, state)) : state + r.int(3));
}

function someContent(r: Random) {
  return r.pick<() => Y.Item['content']>([
    () => itemContent(new Y.ContentString('text')),
    () => itemContent(new Y.ContentDeleted(1 + r.int(3))),
    () => itemContent(new Y.ContentAny([junk(r)])),
    () => itemContent(new Y.ContentAny([1, 2])),
    () => itemContent(new Y.ContentType(new Y.Map())),
    () => itemContent(new Y.ContentType(new Y.Text())),
    () => itemContent(new Y.ContentJSON([{ a: 1 }])),
    () => itemContent(new Y.ContentBinary(new Uint8Array([1]))),
  ])();
}

/** Decodes an update, changes one struct's references, place or content, and encodes it again. */
function mutate(r: Random, update: Uint8Array, server: Y.Doc): Uint8Array {
  const { structs } = Y.decodeUpdate(update);
  const items = structs.filter((struct): struct is Y.Item => struct instanceof Y.Item);
  const index = r.int(items.length);
  const item = items[index];
  if (item === undefined) return update;
  let { origin, rightOrigin, parentSub, content } = item;
  let parent: unknown = item.parent;
  r.pick<() => void>([
    () => (origin = r.chance(0.8) ? someId(r, server) : null),
    () => (rightOrigin = someId(r, server)),
    () => (parentSub = r.pick([...fields.map((field) => `${item.parentSub ?? ''}/${field}`), 'x', null])),
    () => (parent = r.pick(['annotations', 'edits', 'verifications', 'evil', someId(r, server)])),
    () => (content = someContent(r)),
    () => items.splice(index, 1),
  ])();
  if (origin === null && rightOrigin === null && parent === null) parent = 'annotations';
  const changed = new Y.Item(item.id, null, origin, null, rightOrigin, parent as Y.ID, parentSub, content);
  if (items[index] === item) items[index] = changed;
  const target = someId(r, server);
  const deletions = r.chance(0.3) ? [{ client: target.client, clock: target.clock, len: 1 + r.int(3) }] : [];
  return encodeUpdate(items, deletions);
}

/** Byte-level damage to a valid update. */
function damage(r: Random, update: Uint8Array): Uint8Array {
  const copy = update.slice();
  if (r.chance(0.5)) return copy.slice(0, r.int(copy.length));
  for (let i = 1 + r.int(3); i > 0; i--) copy[r.int(copy.length)] = r.int(256);
  return copy;
}

function json(doc: Y.Doc) {
  return {
    annotations: annotationsOf(doc).toJSON(),
    edits: editsOf(doc).toJSON(),
    verifications: verificationsOf(doc).toJSON(),
  };
}

/** JSON with sorted keys: a document copy may list map entries in another order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

/** What must hold after applying an update the validator accepted (the shadow-apply oracle). */
function oracle(before: Y.Doc, update: Uint8Array, sender: { userId: number; role: Role }): string[] {
  const after = clientOf(before);
  Y.applyUpdate(after, update);
  const problems = documentProblems(after, types);
  if (hasPending(after)) problems.push('left pending');
  const old = json(before);
  const now = json(after);
  const changedVerifications = Object.keys({ ...old.verifications, ...now.verifications }).filter(
    (key) => canonical(old.verifications[key]) !== canonical(now.verifications[key]),
  );
  if (sender.role === 'viewer' && canonical(old) !== canonical(now)) problems.push('viewer changed');
  if (sender.role === 'verifier' && canonical(old.annotations) !== canonical(now.annotations)) {
    problems.push('verifier changed annotations');
  }
  if (changedVerifications.some((key) => !key.endsWith(`:${sender.userId}`)))
    problems.push('foreign verification');
  for (const [id, annotation] of Object.entries(old.annotations)) {
    const later = now.annotations[id] as Record<string, unknown> | undefined;
    if (later === undefined) problems.push(`${id} vanished`);
    else if (canonical(later['created']) !== canonical((annotation as Record<string, unknown>)['created'])) {
      problems.push(`${id} creator changed`);
    }
  }
  return problems;
}

describe('validateUpdate under fuzzing', () => {
  it('never throws, and every accepted update leaves a valid document', { timeout: 120_000 }, () => {
    const r = random(20_261_127);
    const world = () => {
      const { doc } = serverDoc(4);
      setVerification(doc, [...annotationsOf(doc).keys()][0] ?? '', true, bob);
      return { server: doc, clients: [clientOf(doc), clientOf(doc), clientOf(doc)] };
    };
    let { server, clients } = world();
    const tally = { accepted: 0, refused: 0, structural: 0 };
    for (let round = 0; round < 3000; round++) {
      // A fresh small world now and then keeps documents small and the test fast.
      if (round % 200 === 0) ({ server, clients } = world());
      const slot = r.int(clients.length);
      const client = clients[slot] ?? clientOf(server);
      if (r.chance(0.6)) Y.applyUpdate(client, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client)));
      const sender = { userId: r.pick([1, 2]), role: r.pick(roles) };
      const kind = r.int(10);
      let update: Uint8Array;
      if (kind === 0) update = Uint8Array.from({ length: r.int(64) }, () => r.int(256));
      else {
        update = captureUpdate(client, (doc) => {
          edit(r, doc, sender.userId);
        });
        if (kind === 1) update = damage(r, update);
        else if (kind === 2) update = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
        else if (kind <= 4) update = mutate(r, update, server);
        else tally.structural++;
      }
      let result: ReturnType<typeof validateUpdate> | undefined;
      expect(() => (result = validateUpdate(server, update, { sender, types }))).not.toThrow();
      if (result === undefined) throw new Error('no result');
      if (!result.ok) {
        tally.refused++;
        if (kind > 1) expect(result.reason, `round ${round}`).not.toMatch(/^unreadable/);
        clients[slot] = clientOf(server);
        continue;
      }
      tally.accepted++;
      expect(oracle(server, update, sender), `round ${round}`).toEqual([]);
      if (r.chance(0.7)) Y.applyUpdate(server, update);
    }
    expect(tally.accepted).toBeGreaterThan(500);
    expect(tally.refused).toBeGreaterThan(300);
    expect(documentProblems(server, types)).toEqual([]);
  });
});

describe('validateUpdate with well-behaved clients', () => {
  it('accepts every update they make, however late it arrives', { timeout: 120_000 }, () => {
    const r = random(7);
    const { doc: server } = serverDoc(3);
    const laptop = { userId: 1, role: 'annotator' as const };
    const users: { userId: number; role: Role }[] = [
      laptop,
      { userId: 2, role: 'annotator' },
      { userId: 3, role: 'verifier' },
      laptop, // user 1's second device: the two also exchange work directly (merged offline work)
    ];
    const clients = users.map((sender) => ({ sender, doc: clientOf(server), queue: [] as Uint8Array[] }));
    let accepted = 0;
    const deliver = (client: (typeof clients)[number]) => {
      const update = client.queue.shift();
      if (update === undefined) return;
      expect(validateUpdate(server, update, { sender: client.sender, types })).toEqual({ ok: true });
      Y.applyUpdate(server, update);
      accepted++;
    };
    for (let round = 0; round < 1500; round++) {
      const client = r.pick(clients);
      const step = r.int(10);
      if (step < 5) {
        const actor = { userId: client.sender.userId, now: 1_764_000_000_000 + round };
        const ids = [...annotationsOf(client.doc).keys()];
        const id = r.pick(ids);
        client.queue.push(
          captureUpdate(client.doc, (doc) => {
            if (client.sender.role === 'verifier') {
              setVerification(doc, id, r.chance(0.5), actor);
              return;
            }
            r.pick<() => unknown>([
              () =>
                updateFields(
                  doc,
                  id,
                  { vector: { x1: r.int(9), y1: r.int(9), x2: 10 + r.int(9), y2: 10 + r.int(9) } },
                  actor,
                ),
              () =>
                updateFields(
                  doc,
                  id,
                  { type: r.pick([1, 5]), description: r.pick(['', 'a', 'b', 'c']) },
                  actor,
                ),
              () =>
                updateFields(
                  doc,
                  id,
                  { deleted: r.chance(0.5), meta: r.pick([null, { n: r.int(3) }]) },
                  actor,
                ),
              () => {
                setVerification(doc, id, r.chance(0.5), actor);
              },
              () => createAnnotation(doc, box(), actor),
            ])();
          }),
        );
      } else if (step === 7 && r.chance(0.3)) {
        // The devices of user 1 merge their work, then one sends all the server lacks, both clients' items.
        const [first, tablet] = [clients[0], clients[3]];
        if (first === undefined || tablet === undefined) throw new Error('missing device');
        Y.applyUpdate(tablet.doc, Y.encodeStateAsUpdate(first.doc, Y.encodeStateVector(tablet.doc)));
        Y.applyUpdate(first.doc, Y.encodeStateAsUpdate(tablet.doc, Y.encodeStateVector(first.doc)));
        tablet.queue = [Y.encodeStateAsUpdate(tablet.doc, Y.encodeStateVector(server))];
        deliver(tablet);
      } else if (step < 8) deliver(client);
      else if (step === 8) {
        // Reconnect: hear the server first, then send everything it lacks in one update.
        Y.applyUpdate(client.doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client.doc)));
        client.queue = [Y.encodeStateAsUpdate(client.doc, Y.encodeStateVector(server))];
        deliver(client);
      } else Y.applyUpdate(client.doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client.doc)));
    }
    for (const client of clients) while (client.queue.length > 0) deliver(client);
    expect(accepted).toBeGreaterThan(400);
    expect(documentProblems(server, types)).toEqual([]);
    for (const client of clients) {
      Y.applyUpdate(client.doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(client.doc)));
      expect(listAnnotations(client.doc, { includeDeleted: true })).toEqual(
        listAnnotations(server, { includeDeleted: true }),
      );
    }
  });
});
