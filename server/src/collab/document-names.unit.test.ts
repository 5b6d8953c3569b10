import { describe, expect, it } from 'vitest';
import { formatDocumentName, parseDocumentName } from './document-names.js';

describe('document names', () => {
  it('parses and formats the two forms', () => {
    expect(parseDocumentName('image.12')).toEqual({ imageId: 12, userId: null });
    expect(parseDocumentName('image.12.user.7')).toEqual({ imageId: 12, userId: 7 });
    expect(formatDocumentName({ imageId: 12, userId: null })).toBe('image.12');
    expect(formatDocumentName({ imageId: 12, userId: 7 })).toBe('image.12.user.7');
  });

  it('parses and formats the parts of an image with regions (G1)', () => {
    const region = { kind: 'region', region: { x: 3, y: 0 } } as const;
    expect(parseDocumentName('image.12.regions')).toEqual({
      imageId: 12,
      userId: null,
      part: { kind: 'index' },
    });
    expect(parseDocumentName('image.12.user.7.region.3.0')).toEqual({ imageId: 12, userId: 7, part: region });
    expect(formatDocumentName({ imageId: 12, userId: null, part: region })).toBe('image.12.region.3.0');
    expect(formatDocumentName({ imageId: 12, userId: 7, part: { kind: 'index' } })).toBe(
      'image.12.user.7.regions',
    );
  });

  it('refuses everything else', () => {
    for (const name of [
      'image.',
      'image.0',
      'image.012',
      'image.1.user.',
      'image.1.user.0',
      'Image.1',
      'image.1 ',
      'image.1.user.2.x',
      'image.9999999999',
      'image.1.user.2147483648',
      'image.-1',
      'image.1.region',
      'image.1.region.1',
      'image.1.region.01.2',
      'image.1.region.1.2.3',
      'image.1.region.-1.2',
      'image.1.regions.region.1.2',
      'image.1.region.1.2.user.3',
      '',
    ]) {
      expect(parseDocumentName(name), name).toBeNull();
    }
    expect(parseDocumentName('image.2147483647')).toEqual({ imageId: 2147483647, userId: null });
  });
});
