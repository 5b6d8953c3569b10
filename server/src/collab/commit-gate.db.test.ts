import { annotationsOf } from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import { DocumentsRepo } from './documents.repo.js';
import {
  addBoxes,
  makeFixture,
  saved,
  sessionOf,
  useCollabServer,
} from '../../../test/support/collab-server.js';

const h = useCollabServer();

type Fixture = Awaited<ReturnType<typeof makeFixture>>;

async function twoClients(fx: Fixture) {
  const name = `image.${fx.image}`;
  const writer = h.connect(name, { cookie: await sessionOf(h, fx.member) });
  const reader = h.connect(name, { cookie: await sessionOf(h, fx.admin) });
  await Promise.all([saved(writer), saved(reader)]);
  return { name, writer, reader };
}

describe('commit gate', () => {
  it('[P1] handles the next updates while a log write is pending, and sends nothing until it commits', async () => {
    const fx = await makeFixture(h);
    const { name, writer, reader } = await twoClients(fx);
    const live = () => h.collab.hocuspocus.documents.get(name);
    let ids: string[] = [];
    // The lock makes every INSERT into the log wait: accepted updates are applied, not committed.
    await h.db.transaction(async (tx) => {
      await tx.query('LOCK TABLE annotation_document_updates IN EXCLUSIVE MODE');
      ids = addBoxes(writer, fx, fx.member.id, 3);
      await expect
        .poll(
          () => {
            const doc = live();
            return doc !== undefined && annotationsOf(doc).size === 3;
          },
          { message: 'the server to apply all three updates' },
        )
        .toBe(true);
      // Hocuspocus broadcasts an update and acknowledges it as it applies it, so the messages about all
      // three exist now: the gate holds them (three or more), so none is on its way to a client.
      await expect.poll(() => h.collab.gate.heldCount).toBeGreaterThanOrEqual(3);
      expect(writer.provider.unsyncedChanges).toBe(3); // no "saved" before the commit
      expect(annotationsOf(reader.doc).size).toBe(0); // nothing uncommitted reaches others
    });
    await saved(writer);
    await expect
      .poll(() => annotationsOf(reader.doc).size === 3, { message: 'the reader to receive the boxes' })
      .toBe(true);
    const logged = await new DocumentsRepo(h.db).updatesAfter(name, 0);
    expect(logged).toHaveLength(3);
    expect([...annotationsOf(reader.doc).keys()].sort()).toEqual([...ids].sort());
  });

  it('[P6] a failed log write closes the document for everyone; the writer sends it again once it works', async () => {
    const fx = await makeFixture(h);
    const { name, writer, reader } = await twoClients(fx);
    // A database that refuses every log write (as a full disk would), until the trigger is dropped.
    await h.db.query(`CREATE FUNCTION refuse_log() RETURNS trigger LANGUAGE plpgsql AS
      $$ BEGIN RAISE EXCEPTION 'log refused'; END $$`);
    await h.db.query(`CREATE TRIGGER refuse_log BEFORE INSERT ON annotation_document_updates
      FOR EACH ROW EXECUTE FUNCTION refuse_log()`);
    const ids: string[] = [];
    try {
      ids.push(...addBoxes(writer, fx, fx.member.id, 2));
      await expect
        .poll(
          () =>
            writer.refusals.includes('persistence-failed') && reader.refusals.includes('persistence-failed'),
          { message: 'both sockets to be closed' },
        )
        .toBe(true);
      expect(annotationsOf(reader.doc).size).toBe(0);
      expect(writer.provider.unsyncedChanges).toBeGreaterThan(0);
      expect(await new DocumentsRepo(h.db).updatesAfter(name, 0)).toHaveLength(0);
    } finally {
      await h.db.query('DROP TRIGGER refuse_log ON annotation_document_updates');
      await h.db.query('DROP FUNCTION refuse_log()');
    }
    // The providers reconnect by themselves; the document loads afresh and takes the update again.
    await saved(writer, 15_000);
    await expect
      .poll(() => annotationsOf(reader.doc).size === 2, {
        message: 'the reader to receive the boxes',
        timeout: 15_000,
      })
      .toBe(true);
    const fromLog = await new DocumentsRepo(h.db).updatesAfter(name, 0);
    expect(fromLog.length).toBeGreaterThan(0);
    expect([...annotationsOf(reader.doc).keys()].sort()).toEqual([...ids].sort());
  }, 30_000);
});
