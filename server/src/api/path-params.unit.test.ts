import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '../errors/app-error.js';
import { assertParamsMatchPath, idParams, parsePathParams, pathId, pathName } from './path-params.js';

describe('path parameters', () => {
  it('parses a declared id into a number and a name into text', () => {
    const schema = z.object({ id: pathId, name: pathName });
    expect(parsePathParams(schema, { id: '42', name: 'label' })).toEqual({ id: 42, name: 'label' });
  });

  it.each(['', 'abc', '1.5', '-3', '0x10', '2147483648', '12345678901'])(
    'answers 404 for the id %j instead of inventing one',
    (raw) => {
      expect(() => parsePathParams(idParams, { id: raw })).toThrow(AppError);
      try {
        parsePathParams(idParams, { id: raw });
      } catch (error) {
        expect((error as AppError).status).toBe(404);
      }
    },
  );

  it('answers 404 when a declared parameter is missing', () => {
    expect(() => parsePathParams(idParams, {})).toThrow(AppError);
  });

  it('refuses at mount a schema that does not declare exactly the path parameters', () => {
    expect(() => {
      assertParamsMatchPath('/images/images/:id/', idParams);
    }).not.toThrow();
    expect(() => {
      assertParamsMatchPath('/images/images/:id/', undefined);
    }).toThrow(/\[id\] but declares \[\]/);
    expect(() => {
      assertParamsMatchPath('/a/:id/b/:name/', idParams);
    }).toThrow(/\[id, name\] but declares \[id\]/);
    expect(() => {
      assertParamsMatchPath('/a/', idParams);
    }).toThrow();
  });
});
