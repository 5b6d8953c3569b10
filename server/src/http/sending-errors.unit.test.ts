import http from 'node:http';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import Koa from 'koa';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { reportSendingErrors } from './sending-errors.js';

let server: http.Server | undefined;
afterEach(() => {
  server?.close();
});

/** An app answering `body()` as its streamed response; what Koa reported and what was logged. */
async function serve(body: () => Readable) {
  const logged = vi.fn();
  const reported: unknown[] = [];
  const app = new Koa();
  app.on('error', (error: unknown) => reported.push(error));
  reportSendingErrors(app, { error: logged } as never);
  app.use((ctx) => {
    ctx.body = body();
  });
  const handle = app.callback();
  const listening = http.createServer((req, res) => {
    void handle(req, res);
  });
  server = listening;
  await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
  const address = listening.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { logged, reported, url: `http://127.0.0.1:${address.port}/` };
}

/** Random bytes do not compress: the download takes many chunks. */
function* randomChunks(count: number) {
  for (let i = 0; i < count; i++)
    yield Buffer.from(Array.from({ length: 65_536 }, () => Math.random() * 256));
}

describe('errors while a response is being sent', () => {
  it('a client that leaves mid-download (as S1 snapshots are, gzipped) is not logged', async () => {
    const { logged, reported, url } = await serve(() =>
      Readable.from(randomChunks(400)).pipe(createGzip({ level: 1 })),
    );
    const abort = new AbortController();
    const response = await fetch(url, { signal: abort.signal });
    await response.body?.getReader().read();
    abort.abort();
    // Koa reports the body's premature close; the log stays quiet.
    await vi.waitFor(() => {
      expect(reported.length).toBeGreaterThan(0);
    });
    expect(logged).not.toHaveBeenCalled();
  });

  it('a body that fails midway is logged', async () => {
    let sent = false;
    const { logged, url } = await serve(
      () =>
        new Readable({
          read() {
            if (sent) this.destroy(new Error('the stored rows could not be read'));
            else this.push(Buffer.alloc(1024));
            sent = true;
          },
        }),
    );
    await fetch(url)
      .then((r) => r.arrayBuffer())
      .catch(() => undefined);
    await vi.waitFor(() => {
      expect(logged).toHaveBeenCalled();
    });
    const messages = logged.mock.calls.map((call) => (call[0] as { err: Error }).err.message);
    expect(messages).toContain('the stored rows could not be read');
  });
});
