import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { ImportReport, SetVersion } from '@tessera/shared';

/*
 * The command-line client of versions, exports and imports (`tessera version ...`, `tessera import`):
 * it talks to a server's REST API like any other client, with a personal access token.
 */

export interface ClientTarget {
  readonly baseUrl: string;
  readonly authorization: string;
}

/** One JSON request to the REST API; throws with the status and the answer's start when refused. */
export async function call<T>(
  target: ClientTarget,
  method: string,
  route: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(new URL(`/api/v1${route}`, target.baseUrl), {
    method,
    headers: {
      authorization: target.authorization,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as T;
}

/** `tessera version create SETS --name NAME [--description TEXT]`: answers the new version. */
export function createVersion(
  target: ClientTarget,
  o: { imageSets: number[]; name: string; description?: string },
): Promise<SetVersion> {
  return call<SetVersion>(target, 'POST', '/images/set_versions/', {
    name: o.name,
    description: o.description ?? '',
    imagesets: o.imageSets,
  });
}

/** `tessera version list [SET]`: the versions one may see (of one image set). */
export async function listVersions(target: ClientTarget, imageSet?: number): Promise<SetVersion[]> {
  const filter = imageSet === undefined ? '' : `&imagesets=${imageSet}`;
  const page = await call<{ results: SetVersion[] }>(
    target,
    'GET',
    `/images/set_versions/?limit=1000${filter}`,
  );
  return page.results;
}

/**
 * `tessera version export ID --format F --out FILE`: streams the export to a file, drawing the bytes
 * received on stderr (the server streams, so the total is not known in advance). Answers the bytes.
 */
export async function exportVersion(
  target: ClientTarget,
  o: { version: number; format: string; out: string; query?: string },
): Promise<number> {
  const route = `/images/set_versions/${o.version}/export/?format=${encodeURIComponent(o.format)}${o.query ?? ''}`;
  const res = await fetch(new URL(`/api/v1${route}`, target.baseUrl), {
    headers: { authorization: target.authorization },
  });
  if (!res.ok || !res.body) throw new Error(`export: ${res.status} ${(await res.text()).slice(0, 500)}`);
  let bytes = 0;
  let drawn = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (process.stderr.isTTY && Date.now() - drawn > 100) {
        drawn = Date.now();
        process.stderr.write(`\rexport ${o.version} ${(bytes / 2 ** 20).toFixed(1)} MB`);
      }
      done(null, chunk);
    },
  });
  await pipeline(
    Readable.fromWeb(res.body as WebReadableStream<Uint8Array>),
    meter,
    createWriteStream(o.out),
  );
  process.stderr.write(
    `${process.stderr.isTTY ? '\r\u001b[2K' : ''}export ${o.version}: ${bytes} bytes to ${o.out}\n`,
  );
  return bytes;
}

/** `tessera import SET FILE --format F [--generated] [--image ID]`: answers the server's report. */
export async function importFile(
  target: ClientTarget,
  o: { imageSet: number; file: string; format: string; generated: boolean; image?: number },
): Promise<ImportReport> {
  const body = await readFile(o.file);
  const query = new URLSearchParams({ format: o.format, generated: String(o.generated) });
  if (o.image !== undefined) query.set('image', String(o.image));
  const res = await fetch(
    new URL(`/api/v1/images/image_sets/${o.imageSet}/import/?${query.toString()}`, target.baseUrl),
    {
      method: 'POST',
      headers: {
        authorization: target.authorization,
        'content-type': o.format === 'exact' ? 'text/plain' : 'application/json',
      },
      body,
    },
  );
  const text = await res.text();
  if (!res.ok) throw new Error(`import: ${res.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as ImportReport;
}
