import { describe, expect, it } from 'vitest';
import { boxInCell, cropSquare } from './crop.js';

const options = { context: 0.5, minSide: 64 };

describe('crop squares', () => {
  it('centres a square with context around the box', () => {
    const crop = cropSquare({ xMin: 500, yMin: 500, xMax: 600, yMax: 550 }, 2000, 2000, options);
    expect(crop).toEqual({ x: 450, y: 425, side: 200 });
    expect(boxInCell({ xMin: 500, yMin: 500, xMax: 600, yMax: 550 }, crop, 100)).toEqual({
      xMin: 25,
      yMin: 37.5,
      xMax: 75,
      yMax: 62.5,
    });
  });

  it('gives points and tiny boxes the smallest side', () => {
    expect(cropSquare({ xMin: 100, yMin: 100, xMax: 100, yMax: 100 }, 1000, 1000, options)).toEqual({
      x: 68,
      y: 68,
      side: 64,
    });
  });

  it('moves a crop at the top-left and bottom-right edges back inside the image', () => {
    expect(cropSquare({ xMin: 0, yMin: 5, xMax: 40, yMax: 45 }, 1000, 800, options)).toEqual({
      x: 0,
      y: 0,
      side: 80,
    });
    expect(cropSquare({ xMin: 980, yMin: 790, xMax: 1000, yMax: 800 }, 1000, 800, options)).toEqual({
      x: 936,
      y: 736,
      side: 64,
    });
  });

  it('centres a crop larger than the image on the image', () => {
    expect(cropSquare({ xMin: 0, yMin: 0, xMax: 100, yMax: 40 }, 120, 50, options)).toEqual({
      x: -40,
      y: -75,
      side: 200,
    });
  });
});
