import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import Koa from 'koa';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../logging/logger.js';
import { requestLogMiddleware } from './request-log.middleware.js';

interface Line {
  level: number;
  msg: string;
  path?: string;
  status?: number;
  requestId?: string;
}

const servers: http.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** An app behind the request log at `level`, quiet on /tiles/; answers its URL and the lines logged. */
async function loggedApp(level: string) {
  const lines: Line[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Line);
      done();
    },
  });
  const app = new Koa();
  app.use(requestLogMiddleware(pino({ level }, sink), { quietPaths: /^\/tiles\// }));
  app.use((ctx) => {
    if (ctx.path === '/tiles/missing') ctx.status = 404;
    else if (ctx.path === '/warns') (ctx.state as { log: Logger }).log.warn('careful');
    ctx.body = 'ok';
  });
  const handle = app.callback();
  const server = http
    .createServer((req, res) => {
      void handle(req, res);
    })
    .listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, lines };
}

const requestLines = (lines: Line[]) => lines.filter((line) => line.msg === 'request');

describe('the request log', () => {
  it('logs successes on quiet paths at debug only, their failures and every other path at info', async () => {
    const { url, lines } = await loggedApp('info');
    for (const path of ['/tiles/ok', '/tiles/missing', '/other']) await (await fetch(url + path)).text();
    expect(requestLines(lines).map((line) => [line.path, line.status, line.level])).toEqual([
      ['/tiles/missing', 404, 30],
      ['/other', 200, 30],
    ]);

    const verbose = await loggedApp('debug');
    await (await fetch(`${verbose.url}/tiles/ok`)).text();
    expect(requestLines(verbose.lines).map((line) => [line.path, line.level])).toEqual([['/tiles/ok', 20]]);
  });

  it("gives the request's own lines its id", async () => {
    const { url, lines } = await loggedApp('info');
    const res = await fetch(`${url}/warns`, { headers: { 'x-request-id': 'trace-7' } });
    expect(res.headers.get('x-request-id')).toBe('trace-7');
    expect(lines.map((line) => [line.msg, line.requestId])).toEqual([
      ['careful', 'trace-7'],
      ['request', 'trace-7'],
    ]);
  });
});
