// close() lets every handler finish, also one whose client went away: a job runner cancelled at
// shutdown drops its inspect request, but the conversion it started goes on writing into the storage.
import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { rgbToPng } from '../sources/raster.js';
import { startTestTiler } from '../testing/server.js';

it('close waits for a conversion whose client has gone', async () => {
  const t = await startTestTiler([]);
  try {
    const [w, h] = [3000, 3000];
    const rgb = Buffer.alloc(w * h * 3, 200);
    await writeFile(
      join(t.storageRoot, 'set', 'big.png'),
      await rgbToPng({ width: w, height: h, data: rgb }),
    );
    const out = 'set/big.pyramid.tiff';
    const received = new Promise<void>((resolve) =>
      t.tiler.server.once('request', () => {
        resolve();
      }),
    );
    const client = new AbortController();
    const request = fetch(`${t.url}/v1/inspect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: t.token('set/big.png', ['inspect'], { out }) }),
      signal: client.signal,
    }).catch((error: unknown) => error);
    await received;
    client.abort();
    expect(await request).toBeInstanceOf(Error);
    await t.tiler.close();
    // The conversion the dropped request started has ended: its pyramid is in place.
    await expect(access(join(t.storageRoot, out))).resolves.toBeUndefined();
  } finally {
    await t.close();
  }
});
