import { describe, expect, it } from 'vitest';
import { pseudonymFor } from './pseudonym.js';

describe('pseudonymFor', () => {
  it('hides the original name behind time and a short hash, keeping the extension', () => {
    const at = new Date(Date.UTC(2024, 4, 1, 9, 7));
    const name = pseudonymFor('Patient Müller 1985-03-02.SVS', at);
    expect(name).toMatch(/^20240501-0907-[0-9a-f]{4}\.svs$/);
    expect(name).not.toContain('ller');
    expect(pseudonymFor('Patient Müller 1985-03-02.SVS', at)).toBe(name);
    expect(pseudonymFor('other.svs', at)).not.toBe(name);
  });
});
