import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

/** A JSON logger at `debug` (tile lines included) whose lines are kept, parsed, for tests that read what a process logged. */
export function captureLog(): { readonly logger: Logger; readonly lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}
