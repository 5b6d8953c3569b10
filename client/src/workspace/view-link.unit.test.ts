import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatView, parseView, viewLink } from './view-link';

const image = { width: 66_000, height: 50_000 };

describe('view links', () => {
  it('reads a view in level-0 pixels, clipped to the image', () => {
    expect(parseView('32300,24550,1400,900', image)).toEqual({
      minX: 32_300,
      minY: 24_550,
      maxX: 33_700,
      maxY: 25_450,
    });
    expect(parseView('-100,-50,300,200', image)).toEqual({ minX: 0, minY: 0, maxX: 200, maxY: 150 });
  });

  it('refuses what is not a view of this image', () => {
    for (const bad of [
      null,
      '',
      '1,2,3',
      '1,2,3,4,5',
      'a,b,c,d',
      '1,2,0,4',
      '1,2,3,-4',
      '70000,0,10,10',
      '1e3,0,10,10',
    ])
      expect(parseView(bad, image)).toBeNull();
  });

  it('gives back the view it formats', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: image.width - 1 }),
        fc.integer({ min: 0, max: image.height - 1 }),
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 5000 }),
        (x, y, w, h) => {
          const view = parseView(formatView({ minX: x, minY: y, maxX: x + w, maxY: y + h }), image);
          expect(view).toEqual({
            minX: x,
            minY: y,
            maxX: Math.min(image.width, x + w),
            maxY: Math.min(image.height, y + h),
          });
        },
      ),
    );
  });

  it('links the same page with the view, keeping its other parameters', () => {
    const location = {
      origin: 'https://tessera.example',
      pathname: '/images/7',
      search: '?version=3&annotation=x',
    };
    expect(viewLink(location, { minX: 10.4, minY: 20, maxX: 110, maxY: 70.6 })).toBe(
      'https://tessera.example/images/7?version=3&view=10,20,100,51',
    );
  });
});
