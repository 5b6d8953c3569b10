// The reference itself: present, the expected versions, and loud when it fails.
import { describe, expect, it } from 'vitest';
import { reference } from './reference.js';

describe('openslide-python reference', () => {
  it('is installed: Debian python3-openslide 1.2 over OpenSlide 3.4.1', () => {
    expect(reference(['version'])).toEqual({
      python: expect.stringMatching(/^1\.2\./) as unknown,
      library: '3.4.1',
    });
  });

  it('throws with the script error instead of returning nothing', () => {
    expect(() => reference(['no-such-command', 'x'])).toThrow(/unknown command no-such-command/);
  });
});
