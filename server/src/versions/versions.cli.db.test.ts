import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestServer } from '../../../test/support/server.js';
import { createVersion, exportVersion, importFile, listVersions } from './versions.cli.js';
import { annotate, rect, versionScene } from '../../../test/support/versions.js';

const server = useTestServer();
const dir = await mkdtemp(path.join(os.tmpdir(), 'tessera-versions-cli-'));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('tessera version and tessera import (the command-line client)', () => {
  it('creates, lists and exports versions to a file, and imports a file', async () => {
    const s = await versionScene(server);
    const token = await s.api(s.member).post<{ token: string }>('/users/tokens/', { name: 'cli' });
    const target = { baseUrl: server.baseUrl, authorization: `Bearer ${token.body.token}` };
    await annotate(s.api(s.member), [
      { image: s.images[0] as number, annotation_type: s.box, vector: rect(1, 2) },
    ]);
    const version = await createVersion(target, { imageSets: [s.set], name: 'for training' });
    expect((await listVersions(target, s.set)).map((v) => v.name)).toEqual(['for training']);
    const out = path.join(dir, 'v.geojson');
    const bytes = await exportVersion(target, { version: version.id, format: 'geojson', out });
    const exported = JSON.parse(await readFile(out, 'utf8')) as { features: unknown[] };
    expect(exported.features).toHaveLength(1);
    expect(bytes).toBeGreaterThan(100);
    const lines = path.join(dir, 'labels.txt');
    const typeName = (
      await server.db.query<{ name: string }>('SELECT name FROM annotation_types WHERE id = $1', [s.box])
    )[0]?.name;
    await writeFile(lines, `a.svs|${typeName}|{"x1": 5, "y1": 5, "x2": 9, "y2": 9}||\n`);
    const report = await importFile(target, {
      imageSet: s.set,
      file: lines,
      format: 'exact',
      generated: true,
    });
    expect(report).toMatchObject({ imported: 1, skipped: [] });
    await expect(exportVersion(target, { version: version.id + 1000, format: 'coco', out })).rejects.toThrow(
      /404/,
    );
  });
});
