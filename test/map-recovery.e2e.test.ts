// A map left `processing` by a server that stopped mid-generation is generated again when `tessera
// start` runs (server/src/maps/README.md, M6): the built CLI on a database holding such a map.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from './support/database.js';
import { Factories } from './support/factories.js';
import { startTessera, type TesseraProcess } from './support/process.js';

const database = useTestDatabase();
const running: TesseraProcess[] = [];
let dataDir = '';

afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  if (dataDir !== '') await rm(dataDir, { recursive: true, force: true });
});

describe('tessera start after a stop in the middle of a map generation', () => {
  it('generates the map left processing again', async () => {
    const make = new Factories(database.db);
    const admin = await make.user();
    const team = await make.team({ admins: [admin] });
    const set = await make.imageSet(team, admin);
    const type = await make.annotationType(await make.product(team, admin, [set]));
    // As the stopped server left it: generation 1 started, nothing written.
    const id = await make.processingMap({ set, type, creator: admin });
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tessera-map-recovery-'));
    const { p } = await startTessera(dataDir, running, {
      DATABASE_URL: database.url,
      TESSERA_DEMO_DATA: 'false',
    });
    const state = async () =>
      (
        await database.db.query<{ state: string; generation: number; failure_reason: string | null }>(
          'SELECT state, generation, failure_reason FROM annotation_maps WHERE id = $1',
          [id],
        )
      )[0];
    // Generation 2 ran to its end: the set has no annotations of the type, so it ends with that reason.
    await expect.poll(state, { timeout: 30_000 }).toEqual({
      state: 'failed',
      generation: 2,
      failure_reason: 'No annotations of this type to show.',
    });
    expect(p.output()).toContain('generating annotation maps left processing again');
    p.child.kill('SIGTERM');
    expect(await p.exited(), p.output()).toBe(0);
  }, 120_000);
});
