import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/** How log lines are written: JSON for machines, readable lines for a person. */
export type LogFormat = 'json' | 'pretty';

/**
 * One logger per process, children per request. Without a configured format, a terminal (stdout is a
 * TTY) gets readable lines and anything else (a file, a log collector) JSON.
 */
export function createLogger(level: string, format?: LogFormat, name = 'tessera'): Logger {
  const options = {
    name,
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'password', '*.password'],
      censor: '[redacted]',
    },
  };
  if ((format ?? (process.stdout.isTTY ? 'pretty' : 'json')) === 'json') return pino(options);
  // In-process and synchronous: lines keep their order with the CLI's own messages.
  return pino(options, pretty({ sync: true, ignore: 'pid,hostname,name', translateTime: 'SYS:HH:MM:ss' }));
}
