import { describe, expect, it } from 'vitest';
import { scaleBarLength } from './scale';

describe('scaleBarLength', () => {
  it('picks 1, 2 or 5 times a power of ten near the wanted width', () => {
    expect(scaleBarLength(0.25, 120)).toEqual({ pixels: 80, text: '20 µm' });
    expect(scaleBarLength(10, 120)).toEqual({ pixels: 100, text: '1 mm' });
    expect(scaleBarLength(0.001, 120)).toEqual({ pixels: 100, text: '100 nm' });
    const { pixels } = scaleBarLength(0.37, 120);
    expect(pixels).toBeGreaterThan(40);
    expect(pixels).toBeLessThanOrEqual(120);
  });
});
