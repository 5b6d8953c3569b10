import { describe, expect, it } from 'vitest';
import { formatTimestamp } from './timestamps.js';

describe('formatTimestamp', () => {
  it("formats PostgreSQL's UTC text as EXACT's ISO form with microseconds", () => {
    expect(formatTimestamp('2024-05-01 10:11:12.1234+00')).toBe('2024-05-01T10:11:12.123400');
    expect(formatTimestamp('2024-05-01 10:11:12+00')).toBe('2024-05-01T10:11:12.000000');
    expect(formatTimestamp(null)).toBeNull();
  });

  it('refuses a timestamp in another zone instead of shifting it silently', () => {
    expect(() => formatTimestamp('2024-05-01 10:11:12+02')).toThrow(/Unexpected timestamp/);
  });
});
