// The tiler's figures in the server's /metrics, and one request id in both processes' logs.
import sharp from 'sharp';
import { describe, expect, it, vi } from 'vitest';
import { Factories } from '../../../test/support/factories.js';
import { ApiClient } from '../../../test/support/http.js';
import { useTestServer } from '../../../test/support/server.js';
import { uploadImages } from '../../../test/support/upload.js';
import { captureLog } from '../../../test/support/log-capture.js';

const TOKEN = 'metrics-token-for-tests-0123456789abcdef';
const tilerLog = captureLog();
const tilerLines = tilerLog.lines;
const server = useTestServer({
  tiler: true,
  tilerLogger: tilerLog.logger,
  env: { TESSERA_METRICS_TOKEN: TOKEN },
});
const make = () => new Factories(server.db);

/** One figure of the server's /metrics, read with the bearer token. */
async function figure(name: string, labels = ''): Promise<number | undefined> {
  const text = await (
    await fetch(`${server.baseUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })
  ).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('the tiler behind /metrics', { timeout: 60_000 }, () => {
  it('relays the request id to the tiler, and its cache figures move', async () => {
    const admin = await make().user();
    const team = await make().team({ admins: [admin] });
    const set = await make().imageSet(team, admin);
    const png = await sharp({ create: { width: 600, height: 400, channels: 3, background: '#3366aa' } })
      .png()
      .toBuffer();
    const upload = await uploadImages(server.baseUrl, admin, set, [{ name: 'field.png', bytes: png }]);
    const id = upload.body.results[0]?.id ?? 0;
    const api = new ApiClient(server.baseUrl, admin);
    await vi.waitFor(
      async () => {
        const image = await api.get<{ state: string }>(`/images/images/${id}/`);
        if (image.body.state !== 'ready') throw new Error(`image ${id} is ${image.body.state}`);
      },
      { timeout: 50_000, interval: 100 },
    );
    expect(await figure('tessera_tiler_up')).toBe(1);
    const headers = {
      authorization: `Basic ${Buffer.from(`${admin.username}:${admin.password}`).toString('base64')}`,
      'x-request-id': `trace-relay-${id}`,
    };
    const tile = () => fetch(`${server.baseUrl}/images/image/${id}/1/1/tile_files/10/0_0.jpeg`, { headers });
    const dzi = () => fetch(`${server.baseUrl}/images/image/${id}/1/1/tile/`, { headers });
    const tiler = (result: string) =>
      figure('tessera_tiler_tile_cache_lookups_total', `{result="${result}"}`);
    const inServer = (result: string) => figure('tessera_tile_cache_lookups_total', `{result="${result}"}`);
    const grants = (result: string) =>
      figure('tessera_pixel_access_cache_lookups_total', `{result="${result}"}`);

    // A cold tile: missed by the server's memory and by the tiler's, which renders it.
    const before = { tilerMiss: (await tiler('miss')) ?? 0, serverMiss: (await inServer('miss')) ?? 0 };
    expect((await tile()).status).toBe(200);
    expect(await tiler('miss')).toBe(before.tilerMiss + 1);
    expect(await inServer('miss')).toBe(before.serverMiss + 1);
    // The same tile again: from the server's memory (the tiler is not asked), on a remembered grant.
    const again = { serverHit: (await inServer('hit')) ?? 0, grantHit: (await grants('hit')) ?? 0 };
    expect((await tile()).status).toBe(200);
    expect(await inServer('hit')).toBe(again.serverHit + 1);
    expect(await grants('hit')).toBe(again.grantHit + 1);
    expect(await tiler('miss')).toBe(before.tilerMiss + 1);
    // The DZI is relayed every time: the second is a hit in the tiler's own cache.
    expect((await dzi()).status).toBe(200);
    const tilerHits = (await tiler('hit')) ?? 0;
    expect((await dzi()).status).toBe(200);
    expect(await tiler('hit')).toBe(tilerHits + 1);
    expect(await figure('tessera_tiler_cached_bytes')).toBeGreaterThan(0);
    // The tiler logged the tile and both DZIs under the id the server's caller sent.
    await expect
      .poll(() =>
        tilerLines.filter((line) => line.requestId === `trace-relay-${id}`).map((line) => line.path),
      )
      .toEqual(['/v1/t/<token>/tiles/10/0_0.jpeg', '/v1/t/<token>/dzi', '/v1/t/<token>/dzi']);
    expect(tilerLines.find((line) => line.requestId === `trace-relay-${id}`)).toMatchObject({
      msg: 'request',
      status: 200,
    });
  });
});
