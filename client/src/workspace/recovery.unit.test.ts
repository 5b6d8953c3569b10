import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createAnnotation, listAnnotations, readRecord, updateFields } from '@tessera/shared';
import { rewriteNewerWork } from './recovery';

const BOX = { x1: 0, y1: 0, x2: 10, y2: 10 };

describe('rewriteNewerWork', () => {
  it("writes again this user's newer and missing annotations, valid ones only, and nobody else's", () => {
    const server = new Y.Doc();
    createAnnotation(
      server,
      { id: '00000000-0000-4000-8000-000000000001', type: 1, vector: BOX },
      { userId: 1, now: 10 },
    );
    createAnnotation(
      server,
      { id: '00000000-0000-4000-8000-000000000002', type: 1, vector: BOX },
      { userId: 2, now: 10 },
    );
    const local = new Y.Doc();
    Y.applyUpdate(local, Y.encodeStateAsUpdate(server));
    updateFields(
      local,
      '00000000-0000-4000-8000-000000000001',
      { description: 'mine, newer' },
      { userId: 1, now: 20 },
    );
    updateFields(
      local,
      '00000000-0000-4000-8000-000000000002',
      { description: 'theirs' },
      { userId: 2, now: 20 },
    );
    createAnnotation(
      local,
      { id: '00000000-0000-4000-8000-000000000003', type: 1, vector: BOX },
      { userId: 1, now: 30 },
    );
    createAnnotation(
      local,
      { id: '00000000-0000-4000-8000-000000000004', type: 9, vector: BOX },
      { userId: 1, now: 30 },
    );

    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, Y.encodeStateAsUpdate(server));
    const written = rewriteNewerWork(
      fresh,
      listAnnotations(local, { includeDeleted: true }),
      1,
      (a) => a.type === 1,
    );
    expect(written.sort()).toEqual([
      '00000000-0000-4000-8000-000000000001',
      '00000000-0000-4000-8000-000000000003',
    ]);
    expect(readRecord(fresh, '00000000-0000-4000-8000-000000000001')?.['description']).toBe('mine, newer');
    expect(readRecord(fresh, '00000000-0000-4000-8000-000000000002')?.['description']).toBe('');
    expect(readRecord(fresh, '00000000-0000-4000-8000-000000000004')).toBeNull();
  });
});
