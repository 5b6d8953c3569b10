import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { annotationsOf, readRecord } from '@tessera/shared';
import { openLiveDocument, type LiveDocument } from '../../../test/support/collab-client.js';
import { Factories } from '../../../test/support/factories.js';
import { ApiClient } from '../../../test/support/http.js';
import { useTestServer } from '../../../test/support/server.js';
import { createLogger } from '../logging/logger.js';
import { PluginJobsRepo } from './plugin-jobs.repo.js';
import { PluginResultsRepo } from './plugin-results.repo.js';
import { PROPOSALS_PER_WRITE, ProposalWriter } from './proposal-writer.js';

// Stored proposals reach the live document in writes of at most PROPOSALS_PER_WRITE, each one update
// an open client applies, so that people's edits get through between them while a job writes many.
const server = useTestServer();
let live: LiveDocument | undefined;

afterEach(() => {
  live?.close();
});

/** A job on a new image with `count` stored proposals of its box type; answers the scene. */
async function storedProposals(count: number, creatorActive = true) {
  const f = new Factories(server.db);
  const member = await f.user();
  const team = await f.team({ admins: [member] });
  const set = await f.imageSet(team, member);
  const type = await f.annotationType(await f.product(team, member, [set]), { vector_type: 1 });
  const image = await f.image(set, member);
  const [plugin] = await server.db.query<{ id: number }>(
    "INSERT INTO plugins (name, package, runner) VALUES ('writer test', $1, 'host') RETURNING id",
    [`writer-test-${randomUUID()}`],
  );
  const job = await new PluginJobsRepo(server.db).enqueue({
    pluginId: plugin?.id ?? 0,
    imageId: image,
    creatorId: member.id,
    settings: {},
  });
  const results = new PluginResultsRepo(server.db);
  const entry = await results.ensureEntry(await results.ensureResult(job), 'proposals');
  await results.insertAnnotations(
    entry,
    Array.from({ length: count }, (_, i) => ({
      type,
      vector: { x1: i, y1: i, x2: i + 10, y2: i + 10 },
      score: 0.5,
      uuid: randomUUID(),
    })),
  );
  if (!creatorActive) await server.db.query('UPDATE users SET is_active = false WHERE id = $1', [member.id]);
  return { member, image, job };
}

describe('ProposalWriter', () => {
  it('writes stored proposals into an open document in writes of at most PROPOSALS_PER_WRITE', async () => {
    const count = 2 * PROPOSALS_PER_WRITE + 100;
    const { member, image, job } = await storedProposals(count);
    const token = await new ApiClient(server.baseUrl, member).post<{ token: string }>('/users/tokens/', {
      name: 'live',
    });
    live = await openLiveDocument(server.baseUrl, `image.${image}`, token.body.token);
    const doc = live.doc;
    const arrivals: number[] = [];
    annotationsOf(doc).observe((event) => arrivals.push(event.keysChanged.size));

    const writer = new ProposalWriter(server.db, server.services.annotations, createLogger('silent'));
    expect(await writer.drain()).toBe(count);
    await vi.waitFor(() => {
      expect(annotationsOf(doc).size).toBe(count);
    });
    expect(arrivals).toEqual([PROPOSALS_PER_WRITE, PROPOSALS_PER_WRITE, 100]);
    const [first] = annotationsOf(doc).keys();
    expect(readRecord(doc, first ?? '')?.['created']).toMatchObject({ generated: true, score: 0.5 });
    expect(await writer.drain()).toBe(0);
    const [counts] = await server.db.query<{ written: number }>(
      `SELECT count(*)::int AS written FROM plugin_result_annotations ra
         JOIN plugin_result_entries e ON e.id = ra.entry_id JOIN plugin_results r ON r.id = e.result_id
       WHERE r.job_id = $1 AND ra.written`,
      [job],
    );
    expect(counts?.written).toBe(count);
  });

  it('drops every write of a job whose creator may no longer write, and goes on', async () => {
    const { image } = await storedProposals(PROPOSALS_PER_WRITE + 1, false);
    const writer = new ProposalWriter(server.db, server.services.annotations, createLogger('silent'));
    expect(await writer.drain()).toBe(0);
    expect(await new PluginResultsRepo(server.db).unwritten(10)).toEqual([]);
    const [annotations] = await server.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM annotations WHERE image_id = $1',
      [image],
    );
    expect(annotations?.n).toBe(0);
  });
});
