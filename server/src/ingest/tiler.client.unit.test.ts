// The relay's failure paths against a stand-in tiler on the loopback: a tiler that goes away in the
// middle of a tile must be the client's clear 503, never a 500 or a truncated tile.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { TilerClient } from './tiler.client.js';

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.map((close) => close()));
  closers = [];
});

/** A tiler on a free loopback port whose every answer is `answer`; the client made to reach it. */
async function tilerAnswering(answer: http.RequestListener): Promise<TilerClient> {
  const tiler = http.createServer(answer);
  await new Promise<void>((resolve) => tiler.listen(0, '127.0.0.1', resolve));
  const client = new TilerClient(`http://127.0.0.1:${(tiler.address() as AddressInfo).port}`, 'secret');
  closers.push(async () => {
    client.close();
    tiler.closeAllConnections();
    await new Promise<void>((resolve) => {
      tiler.close(() => {
        resolve();
      });
    });
  });
  return client;
}

const unreachable = { code: 'service_unavailable', status: 503, message: 'The tiler is not reachable.' };

describe('TilerClient.tile', () => {
  it('reads a whole tile with the headers that make it cacheable', async () => {
    const client = await tilerAnswering((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg', etag: '"t1"', 'cache-control': 'max-age=60' });
      res.end(Buffer.from([1, 2, 3]));
    });
    expect(await client.tile('token', 'tiles/0/0_0.jpeg', '')).toEqual({
      status: 200,
      contentType: 'image/jpeg',
      etag: '"t1"',
      cacheControl: 'max-age=60',
      body: Buffer.from([1, 2, 3]),
    });
  });

  it('is a 503 when the tiler closes the connection in the middle of a tile', async () => {
    const client = await tilerAnswering((_req, res) => {
      res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': '1000' });
      res.write(Buffer.alloc(10), () => res.destroy());
    });
    const failure = await client.tile('token', 'tiles/0/0_0.jpeg', '').catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject(unreachable);
  });

  it('is a 503 when nothing listens where the tiler should be', async () => {
    const client = new TilerClient('http://127.0.0.1:9', 'secret');
    closers.push(() => {
      client.close();
      return Promise.resolve();
    });
    const failure = await client.tile('token', 'tiles/0/0_0.jpeg', '').catch((err: unknown) => err);
    expect(failure).toMatchObject(unreachable);
  });
});
