import { describe, expect, it } from 'vitest';
import { collaborators, colorOf } from './presence';

describe('collaborators', () => {
  it('lists other clients with a user, sorted by name, and ignores malformed states', () => {
    const states = new Map<number, unknown>([
      [1, { user: { id: 1, name: 'me', color: '#000000' } }],
      [2, { user: { id: 7, name: 'zoe', color: 'red;evil' }, cursor: { x: 5, y: 6 } }],
      [
        3,
        {
          user: { id: 8, name: 'ann', color: '#123456' },
          viewport: { x: 0, y: 0, width: 10, height: 20 },
          frame: 2,
        },
      ],
      [4, { cursor: { x: 1, y: 1 } }],
      [5, 'nonsense'],
      [6, { user: { id: 9, name: 'bob', color: '#123456' }, viewport: { x: 0, y: 0, width: -1, height: 5 } }],
    ]);
    const list = collaborators(states, 1);
    expect(list.map((c) => c.user.name)).toEqual(['ann', 'bob', 'zoe']);
    expect(list[0]).toMatchObject({
      viewport: { minX: 0, minY: 0, maxX: 10, maxY: 20 },
      frame: 2,
      cursor: null,
    });
    expect(list[1]?.viewport).toBeNull();
    expect(list[2]).toMatchObject({ cursor: { x: 5, y: 6 }, user: { color: '#888888' } });
  });

  it('gives each user a stable colour', () => {
    expect(colorOf(3)).toBe(colorOf(3));
    expect(colorOf(3)).not.toBe(colorOf(4));
  });
});
