import { epochMsOf } from '@tessera/shared';

/**
 * Formats PostgreSQL's UTC timestamp text ("2024-05-01 10:11:12.1234+00") as EXACT's ISO 8601 form
 * without time zone and with microseconds ("2024-05-01T10:11:12.123400").
 */
export function formatTimestamp(value: string | null): string | null {
  if (value === null) return null;
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?(?:[+-]00(?::?00)?|Z)?$/.exec(
    value,
  );
  if (!match) throw new Error(`Unexpected timestamp from the database: ${value}`);
  const [, date, time, fraction = ''] = match;
  return `${date}T${time}.${fraction.padEnd(6, '0')}`;
}

/** EXACT's time overrides: ISO 8601, UTC when no zone is given, microseconds kept; now when absent. */
export function requestMillis(value: string | undefined): number {
  return value === undefined ? Date.now() : epochMsOf(value);
}
