import { describe, expect, it } from 'vitest';
import { formatDocumentName, parseDocumentName } from './document-names.js';

describe('document names', () => {
  it('parses and formats the two forms', () => {
    expect(parseDocumentName('image.12')).toEqual({ imageId: 12, userId: null });
    expect(parseDocumentName('image.12.user.7')).toEqual({ imageId: 12, userId: 7 });
    expect(formatDocumentName({ imageId: 12, userId: null })).toBe('image.12');
    expect(formatDocumentName({ imageId: 12, userId: 7 })).toBe('image.12.user.7');
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
      '',
    ]) {
      expect(parseDocumentName(name), name).toBeNull();
    }
    expect(parseDocumentName('image.2147483647')).toEqual({ imageId: 2147483647, userId: null });
  });
});
