import { describe, expect, it } from 'vitest';
import { combineSync } from './region-sync';

describe('combineSync', () => {
  it('G4: counts the work waiting in every open document of an image with regions', () => {
    expect(combineSync({ kind: 'saved' }, [{ kind: 'saved' }, { kind: 'connecting' }])).toEqual({
      kind: 'saved',
    });
    expect(combineSync({ kind: 'saved' }, [{ kind: 'saving', pending: 2 }, { kind: 'saved' }])).toEqual({
      kind: 'saving',
      pending: 2,
    });
    expect(
      combineSync({ kind: 'offline', pending: 1 }, [
        { kind: 'offline', pending: 3 },
        { kind: 'offline', pending: 0 },
      ]),
    ).toEqual({ kind: 'offline', pending: 4 });
    expect(combineSync({ kind: 'saved' }, [{ kind: 'refused', reason: 'invalid-update: x' }])).toEqual({
      kind: 'refused',
      reason: 'invalid-update: x',
    });
    expect(combineSync({ kind: 'connecting' }, [{ kind: 'saved' }])).toEqual({ kind: 'connecting' });
  });
});
