import { describe, expect, it } from 'vitest';
import type { CollabContext } from './collab.context.js';
import { connectionsNamed } from './access-notices.js';

/** The part of a connection's context a notice filter reads. */
function context(userId: number, imageSetId: number): CollabContext {
  return {
    viewer: { id: userId, username: `u${userId}`, isSuperuser: false, isStaff: false, via: 'token' },
    grant: { role: 'annotator', readOnly: false, imageSetId },
  };
}

describe('connectionsNamed', () => {
  it('[A6] names a user’s connections or a set’s, nothing else', () => {
    const user = connectionsNamed('user:7');
    const set = connectionsNamed('set:3');
    expect(user?.(context(7, 1))).toBe(true);
    expect(user?.(context(8, 1))).toBe(false);
    expect(set?.(context(7, 3))).toBe(true);
    expect(set?.(context(7, 4))).toBe(false);
  });

  it('[A6] refuses anything else (a full sweep follows)', () => {
    for (const payload of ['', 'user:', 'user:x', 'team:1', 'user:1 ', 'user:12345678901', 'set:-1']) {
      expect(connectionsNamed(payload)).toBeUndefined();
    }
  });
});
