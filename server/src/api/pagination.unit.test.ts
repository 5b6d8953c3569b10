import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.js';
import { pageLinks, parsePageRequest } from './pagination.js';

describe('pagination', () => {
  it('defaults to 50 from the start and caps the limit with a clear message', () => {
    expect(parsePageRequest({}, 100)).toEqual({ limit: 50, offset: 0 });
    expect(() => parsePageRequest({ limit: '101' }, 100)).toThrow(AppError);
    expect(() => parsePageRequest({ limit: '0' }, 100)).toThrow(
      expect.objectContaining({
        fieldErrors: { limit: ['Ensure this value is greater than or equal to 1.'] },
      }),
    );
    expect(() => parsePageRequest({ offset: '-3' }, 100)).toThrow(AppError);
  });

  it('links next and previous like DRF, keeping other parameters', () => {
    const url = new URL('http://h/api/v1/users/users/?name=x&limit=10&offset=10');
    const links = pageLinks(url, { limit: 10, offset: 10 }, 25);
    expect(links.next).toBe('http://h/api/v1/users/users/?name=x&limit=10&offset=20');
    expect(links.previous).toBe('http://h/api/v1/users/users/?name=x&limit=10');
    expect(pageLinks(url, { limit: 10, offset: 20 }, 25).next).toBeNull();
  });
});
