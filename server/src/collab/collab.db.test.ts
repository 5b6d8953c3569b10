import { randomUUID } from 'node:crypto';
import { annotationsOf, createAnnotation, listAnnotations, readRecord, updateFields } from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { DocumentsRepo } from './documents.repo.js';
import {
  makeFixture,
  presenceBarrier,
  saved,
  sessionOf,
  tokenOf,
  useCollabServer,
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
    await expect
      .poll(() => annotationsOf(b.doc).has(id), { message: 'b to see the new annotation' })
      .toBe(true);
    updateFields(a.doc, id, { vector: { x1: 10, y1: 20, x2: 30, y2: 40 } }, { userId: fx.admin.id });
    updateFields(b.doc, id, { type: fx.otherBoxType, description: 'mitosis' }, { userId: fx.member.id });
    await Promise.all([saved(a), saved(b)]);
    await expect
      .poll(() => readRecord(a.doc, id)?.description === 'mitosis' && vectorOf(b.doc, id)?.x1 === 10, {
        message: 'both edits on both sides',
      })
      .toBe(true);
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
    await expect.poll(() => annotationsOf(b.doc).has(id), { message: 'b to see the annotation' }).toBe(true);
    for (let round = 0; round < 5; round++) {
      updateFields(a.doc, id, { description: `a${round}` }, { userId: fx.admin.id });
      updateFields(b.doc, id, { description: `b${round}` }, { userId: fx.member.id });
      await Promise.all([saved(a), saved(b)]);
    }
    await expect
      .poll(() => readRecord(a.doc, id)?.description === readRecord(b.doc, id)?.description, {
        message: 'the same description on both sides',
      })
      .toBe(true);
    expect([a, b].flatMap((c) => c.refusals)).toEqual([]);
    expect(readRecord(a.doc, id)?.description).toMatch(/^[ab]4$/);
  });

  it('[A4][V3] a non-member of a public set reads but cannot write, and nothing of theirs is logged', async () => {
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
    await expect
      .poll(() => annotationsOf(viewer.doc).has(id), { message: 'the viewer to load the annotation' })
      .toBe(true);
    expect(viewer.provider.authorizedScope).toBe('readonly');

    const logged = (await new DocumentsRepo(h.db).updatesAfter(name, 0)).length;
    updateFields(viewer.doc, id, { description: 'vandalised' }, { userId: fx.outsider.id });
    await presenceBarrier(viewer, writer); // the server has handled the edit by now
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
    await expect
      .poll(() => [outsider, unknown, garbage].every((c) => c.refusals.includes('forbidden')), {
        message: 'three refusals',
      })
      .toBe(true);
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
    await expect
      .poll(() => [none, badToken, badCookie, crossSite].every((c) => c.refusals.includes('unauthorized')), {
        message: 'four refusals',
      })
      .toBe(true);
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
    await expect
      .poll(() => others.refusals.includes('forbidden') && shared.refusals.includes('forbidden'), {
        message: 'refusals',
      })
      .toBe(true);
    expect(own.provider.authorizedScope).toBe('read-write');
    expect(admin.provider.authorizedScope).toBe('read-write');

    const id = createAnnotation(
      own.doc,
      { id: randomUUID(), type: fx.boxType, vector: { x1: 1, y1: 2, x2: 3, y2: 4 } },
      { userId: fx.member.id },
    );
    await expect
      .poll(() => annotationsOf(admin.doc).has(id), { message: 'the admin to see the member’s annotation' })
      .toBe(true);
  });

  it('[A2] collaborative sets have no per-user copies', async () => {
    const fx = await makeFixture(h);
    const copy = h.connect(`image.${fx.image}.user.${fx.member.id}`, {
      cookie: await sessionOf(h, fx.member),
    });
    await expect.poll(() => copy.refusals.includes('forbidden'), { message: 'a refusal' }).toBe(true);
  });
});
