import { describe, expect, it, vi } from 'vitest';
import type { Page, SetVersion } from '@tessera/shared';
import { createLogger } from '../logging/logger.js';
import { useTestServer } from '../../../test/support/server.js';
import { snapshotChanged, startSnapshotter } from './snapshotter.js';
import { annotate, rect, versionScene } from '../../../test/support/versions.js';

const server = useTestServer();
const logger = createLogger('silent');

describe('periodic versions', () => {
  it('snapshot only changed image sets, and prune old automatic versions but never manual ones', async () => {
    const s = await versionScene(server);
    const quiet = await versionScene(server);
    const api = s.api(s.member);
    const [a] = await annotate(api, [
      { image: s.images[0] as number, annotation_type: s.box, vector: rect(0, 0) },
    ]);
    await annotate(quiet.api(quiet.member), [
      { image: quiet.images[0] as number, annotation_type: quiet.box, vector: rect(0, 0) },
    ]);
    const manual = await quiet.api(quiet.member).post<SetVersion>('/images/set_versions/', {
      name: 'by hand',
      imagesets: [quiet.set],
    });
    const round = () => snapshotChanged(server.db, server.services.versions, logger, 1);
    const first = await round();
    expect(first).toHaveLength(1);
    expect(await round()).toEqual([]);
    await api.patch(`/annotations/annotations/${a?.id}/`, { vector: rect(5, 5) });
    const second = await round();
    expect(second).toHaveLength(1);
    const listed = await api.get<Page<SetVersion>>(`/images/set_versions/?imagesets=${s.set}`);
    // Retention 1: the first automatic version was pruned; the quiet set's manual version stays.
    expect(listed.body.results.map((v) => [v.id, v.automatic, v.author])).toEqual([[second[0], true, null]]);
    expect((await quiet.api(quiet.member).get(`/images/set_versions/${manual.body.id}/`)).status).toBe(200);
  });

  it('runs rounds on its interval, and stopping waits for the round in progress', async () => {
    const s = await versionScene(server);
    const api = s.api(s.member);
    await annotate(api, [{ image: s.images[0] as number, annotation_type: s.box, vector: rect(0, 0) }]);
    const versionsOfSet = async () =>
      (await api.get<Page<SetVersion>>(`/images/set_versions/?imagesets=${s.set}`)).body.count;
    const scheduled = vi.spyOn(globalThis, 'setInterval');
    const cleared = vi.spyOn(globalThis, 'clearInterval');
    const stop = startSnapshotter(server.db, server.services.versions, logger, { intervalMs: 50, keep: 5 });
    const timer = scheduled.mock.results.at(-1)?.value as NodeJS.Timeout;
    scheduled.mockRestore();
    await expect.poll(versionsOfSet, { timeout: 10_000 }).toBe(1);
    await annotate(api, [{ image: s.images[0] as number, annotation_type: s.box, vector: rect(9, 9) }]);
    // Stopping right away either finds a round running (and waits for it) or none; the interval is
    // cleared before stop answers, so no round can start after it.
    await stop();
    expect(cleared).toHaveBeenCalledWith(timer);
    cleared.mockRestore();
    expect([1, 2]).toContain(await versionsOfSet());
  });
});
