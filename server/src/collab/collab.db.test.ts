import { randomUUID } from 'node:crypto';
import { annotationsOf, createAnnotation, listAnnotations, readRecord, updateFields } from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { DocumentsRepo } from './documents.repo.js';
import {
  makeFixture,
  saved,
  sessionOf,
  tokenOf,
  useCollabServer,
  waitFor,
} from '../../../test/support/collab-server.js';

const h = useCollabServer();

const vectorOf = (doc: Y.Doc, id: string) =>
  readRecord(doc, id)?.vector as Record<string, number> | undefined;

describe('live annotation documents', () => {
  it('[A5] two members converge on creates, moves and relabels made at once', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const a = h.connect(name, { cookie: await sessionOf(h, fx.admin) });
    const b = h.connect(name, { token: await tokenOf(h, fx.member) });
    await Promise.all([saved(a), saved(b)]);

    const id = createAnnotation(
      a.doc,
      { id: randomUUID(), type: fx.boxType, vector: { x1: 1, y1: 2, x2: 3, y2: 4 } },
      { userId: fx.admin.id },
    );
    await waitFor(() => annotationsOf(b.doc).has(id), 'b to see the new annotation');
    updateFields(a.doc, id, { vector: { x1: 10, y1: 20, x2: 30, y2: 40 } }, { userId: fx.admin.id });
    updateFields(b.doc, id, { type: fx.otherBoxType, description: 'mitosis' }, { userId: fx.member.id });
    await Promise.all([saved(a), saved(b)]);
    await waitFor(
      () => readRecord(a.doc, id)?.description === 'mitosis' && vectorOf(b.doc, id)?.x1 === 10,
      'both edits on both sides',
    );
    expect(listAnnotations(a.doc)).toEqual(listAnnotations(b.doc));
    expect(readRecord(a.doc, id)).toMatchObject({ type: fx.otherBoxType, vector: { x1: 10 } });
  });

  it('[V1] concurrent writes of the same field are both accepted and converge', async () => {
    const fx = await makeFixture(h);
    const name = `image.${fx.image}`;
    const a = h.connect(name, { cookie: await sessionOf(h, fx.admin) });
    const b = h.connect(name, { cookie: await sessionOf(h, fx.member) });
    await Promise.all([saved(a), saved(b)]);
    const id = createAnnotation(
      a.doc,
      { id: randomUUID(), type: fx.boxType, vector: { x1: 1, y1: 2, x2: 3, y2: 4 } },
      { userId: fx.admin.id },
    );
    await waitFor(() => annotationsOf(b.doc).has(id), 'b to see the annotation');
    for (let round = 0; round < 5; round++) {
      updateFields(a.doc, id, { description: `a${round}` }, { userId: fx.admin.id });
      updateFields(b.doc, id, { description: `b${round}` }, { userId: fx.member.id });
      await Promise.all([saved(a), saved(b)]);
    }
    await waitFor(
      () => readRecord(a.doc, id)?.description === readRecord(b.doc, id)?.description,
      'the same description on both sides',
    );
    expect([a, b].flatMap((c) => c.refusals)).toEqual([]);
    expect(readRecord(a.doc, id)?.description).toMatch(/^[ab]4$/);
  });

  it('[A4] a non-member of a public set reads but cannot write', async () => {
    const fx = await makeFixture(h, { public: true });
    const name = `image.${fx.image}`;
    const writer = h.connect(name, { cookie: await sessionOf(h, fx.member) });
    await saved(writer);
    const id = createAnnotation(
      writer.doc,
      { id: randomUUID(), type: fx.boxType, vector: { x1: 1, y1: 2, x2: 3, y2: 4 } },
      { userId: fx.member.id },
    );
    await saved(writer);
    const viewer = h.connect(name, { cookie: await sessionOf(h, fx.outsider) });
    await waitFor(() => annotationsOf(viewer.doc).has(id), 'the viewer to load the annotation');
    expect(viewer.provider.authorizedScope).toBe('readonly');

    const logged = (await new DocumentsRepo(h.db).updatesAfter(name, 0)).length;
    updateFields(viewer.doc, id, { description: 'vandalised' }, { userId: fx.outsider.id });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(viewer.provider.unsyncedChanges).toBeGreaterThan(0);
    expect(readRecord(writer.doc, id)?.description).toBe('');
    // [V3] nothing of a read-only connection is logged.
    expect(await new DocumentsRepo(h.db).updatesAfter(name, 0)).toHaveLength(logged);
  });

  it('[A1] an outsider of a private set, an unknown image and a bad name are refused', async () => {
    const fx = await makeFixture(h);
    const cookie = await sessionOf(h, fx.outsider);
    const outsider = h.connect(`image.${fx.image}`, { cookie });
    const unknown = h.connect(`image.999999`, { cookie: await sessionOf(h, fx.member) });
    const garbage = h.connect(`image.${fx.image}.x`, { cookie: await sessionOf(h, fx.member) });
    await waitFor(
      () => [outsider, unknown, garbage].every((c) => c.refusals.includes('forbidden')),
      'three refusals',
    );
    expect([outsider, unknown, garbage].some((c) => c.authenticated())).toBe(false);
  });

  it('refuses missing or invalid credentials and cookies sent from another site', async () => {
    const fx = await makeFixture(h);
    const none = h.connect(`image.${fx.image}`, {});
    const badToken = h.connect(`image.${fx.image}`, { token: 'pat_nope.nope' });
    const badCookie = h.connect(`image.${fx.image}`, { cookie: 'not-a-session' });
    const crossSite = h.connect(`image.${fx.image}`, {
      cookie: await sessionOf(h, fx.member),
      origin: 'https://evil.example',
    });
    const sameSite = h.connect(`image.${fx.image}`, {
      cookie: await sessionOf(h, fx.member),
      origin: h.url.replace('ws://', 'http://').replace('/collab', ''),
    });
    await waitFor(
      () => [none, badToken, badCookie, crossSite].every((c) => c.refusals.includes('unauthorized')),
      'four refusals',
    );
    await saved(sameSite);
  });

  it('[A2][A3] blind sets: users open only their own copy, team admins open all', async () => {
    const fx = await makeFixture(h, { blind: true });
    const own = h.connect(`image.${fx.image}.user.${fx.member.id}`, {
      cookie: await sessionOf(h, fx.member),
    });
    const others = h.connect(`image.${fx.image}.user.${fx.other.id}`, {
      cookie: await sessionOf(h, fx.member),
    });
    const shared = h.connect(`image.${fx.image}`, { cookie: await sessionOf(h, fx.member) });
    const admin = h.connect(`image.${fx.image}.user.${fx.member.id}`, {
      cookie: await sessionOf(h, fx.admin),
    });
    await Promise.all([saved(own), saved(admin)]);
    await waitFor(
      () => others.refusals.includes('forbidden') && shared.refusals.includes('forbidden'),
      'refusals',
    );
    expect(own.provider.authorizedScope).toBe('read-write');
    expect(admin.provider.authorizedScope).toBe('read-write');

    const id = createAnnotation(
      own.doc,
      { id: randomUUID(), type: fx.boxType, vector: { x1: 1, y1: 2, x2: 3, y2: 4 } },
      { userId: fx.member.id },
    );
    await waitFor(() => annotationsOf(admin.doc).has(id), 'the admin to see the member’s annotation');
  });

  it('[A2] collaborative sets have no per-user copies', async () => {
    const fx = await makeFixture(h);
    const copy = h.connect(`image.${fx.image}.user.${fx.member.id}`, {
      cookie: await sessionOf(h, fx.member),
    });
    await waitFor(() => copy.refusals.includes('forbidden'), 'a refusal');
  });
});
