// `tessera dataset list|add`: the catalogue and setups through the REST API of a running server, so
// the files are made where its tiler and job queue are.
import { createWriteStream, openAsBlob } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import type { Dataset, DatasetImport, DatasetInstance, Page } from '@tessera/shared';
import { DEMO_TEAM } from './demo.js';

export interface ApiTarget {
  readonly baseUrl: string;
  readonly authorization: string;
}

async function call<T>(target: ApiTarget, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${target.baseUrl}/api/v1${path}`, {
    method,
    headers: {
      authorization: target.authorization,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  }).catch((error: unknown) => {
    throw new Error(
      `Cannot reach ${target.baseUrl}: ${error instanceof Error ? error.message : String(error)}`,
    );
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return JSON.parse(text) as T;
}

/** `tessera dataset list`: one line per data set, with why it is unavailable where it is. */
export async function datasetListCommand(target: ApiTarget): Promise<void> {
  const page = await call<Page<Dataset>>(target, 'GET', '/datasets/datasets/');
  for (const d of page.results) {
    const state = d.available ? 'available' : `unavailable: ${d.unavailable_reason ?? ''}`;
    console.log(
      `${d.name}\t${d.title} (${d.image_count} images, ${d.annotation_count} annotations; ${d.licence})\t${state}`,
    );
  }
}

/** The id of a team given by id or by name (default: the demo team). */
async function teamId(target: ApiTarget, team: string | undefined): Promise<number> {
  const wanted = team ?? DEMO_TEAM;
  if (/^\d+$/.test(wanted)) return Number(wanted);
  const page = await call<Page<{ id: number }>>(
    target,
    'GET',
    `/users/teams/?name=${encodeURIComponent(wanted)}`,
  );
  const found = page.results[0];
  if (!found) throw new Error(`No team named "${wanted}" that you can see (give --team NAME or id).`);
  return found.id;
}

/** `tessera dataset add NAME [--team T] [--seed N]`: sets a data set up and says what it made. */
export async function datasetAddCommand(
  target: ApiTarget,
  o: { name: string; team: string | undefined; seed: string | undefined },
): Promise<void> {
  if (o.seed !== undefined && !/^\d{1,10}$/.test(o.seed)) throw new Error('--seed must be a whole number.');
  const team = await teamId(target, o.team);
  const made = await call<DatasetInstance>(
    target,
    'POST',
    `/datasets/datasets/${encodeURIComponent(o.name)}/instantiate/`,
    { team, ...(o.seed === undefined ? {} : { seed: Number(o.seed) }) },
  );
  console.log(
    `Set up ${made.dataset} (seed ${made.seed}) in team ${team}: image set ${made.image_set} with ` +
      `${made.images.length} images and ${made.annotations} annotations (images process in the background).`,
  );
}

/** Zips a folder (recursively, without hidden files) into `file`, as the archive import takes it. */
async function zipFolder(dir: string, file: string): Promise<number> {
  const zip = new yazl.ZipFile();
  let count = 0;
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(path.join(dir, relative), { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const name = path.posix.join(relative, entry.name);
      if (entry.isDirectory()) await walk(name);
      else if (entry.isFile()) {
        zip.addFile(path.join(dir, name), name);
        count++;
      }
    }
  };
  await walk('');
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(file));
  return count;
}

/**
 * `tessera dataset import PATH [--team T] [--name N]`: a folder (zipped on the way) or a zip of
 * images and COCO/GeoJSON/EXACT label files becomes a new image set.
 */
export async function datasetImportCommand(
  target: ApiTarget,
  o: { path: string; team: string | undefined; name: string | undefined },
): Promise<void> {
  const info = await stat(o.path).catch(() => {
    throw new Error(`${o.path} does not exist.`);
  });
  const scratch = info.isDirectory() ? await mkdtemp(path.join(os.tmpdir(), 'tessera-import-')) : undefined;
  try {
    let archive = o.path;
    if (scratch !== undefined) {
      archive = path.join(scratch, `${path.basename(path.resolve(o.path))}.zip`);
      if ((await zipFolder(o.path, archive)) === 0) throw new Error(`${o.path} is empty.`);
    }
    const form = new FormData();
    form.set('team', String(await teamId(target, o.team)));
    if (o.name !== undefined) form.set('name', o.name);
    form.set('file', await openAsBlob(archive), path.basename(archive));
    const response = await fetch(`${target.baseUrl}/api/v1/datasets/import/`, {
      method: 'POST',
      headers: { authorization: target.authorization },
      body: form,
    });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`The import answered ${response.status}: ${text}`);
    const made = JSON.parse(text) as DatasetImport;
    console.log(
      `Imported ${path.basename(o.path)}: image set ${made.image_set} with ${made.images.length} images ` +
        `and ${made.annotations} annotations.`,
    );
    for (const s of made.skipped) console.log(`skipped ${s.item}: ${s.reason}`);
  } finally {
    if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  }
}
