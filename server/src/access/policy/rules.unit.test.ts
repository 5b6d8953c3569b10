import { describe, expect, it } from 'vitest';
import { BLIND, COOPERATIVE, SECOND_OPINION } from './modes.js';
import { decide, type Subject } from './rules.js';
import type { Standing } from './standing.js';

const reader = { id: 7, isSuperuser: false };
const subject = (standing: Standing, o: Partial<Subject> = {}): Subject => ({
  caller: standing === 'anonymous' ? null : { ...reader, isSuperuser: standing === 'superuser' },
  standing,
  mode: COOPERATIVE,
  ...o,
});

describe('the policy rules', () => {
  it('[P1] a set is hidden from outsiders and seen by readers of a public set, who may not annotate', () => {
    expect(decide('image.see', subject('outsider'))).toBe('hidden');
    expect(decide('image.see', subject('reader'))).toBe('allow');
    expect(decide('image.annotate', subject('reader'))).toBe('forbidden');
    expect(decide('image.annotate', subject('member'))).toBe('allow');
  });

  it("[P2] in a blind set a reader sees only their own copy; team admins and superusers see every reader's", () => {
    const others = { mode: BLIND, copyOwner: 8 };
    expect(decide('annotation.see', subject('member', others))).toBe('hidden');
    expect(decide('verification.see', subject('member', others))).toBe('hidden');
    expect(decide('annotation.see', subject('member', { mode: BLIND, copyOwner: 7 }))).toBe('allow');
    expect(decide('annotation.see', subject('team-admin', others))).toBe('allow');
    expect(decide('annotation.see', subject('superuser', others))).toBe('allow');
    expect(decide('annotation.see', subject('member', { mode: SECOND_OPINION, copyOwner: null }))).toBe(
      'allow',
    );
  });

  it('[P4][P6] blind sets are exported and versioned by those who administer the team only', () => {
    expect(decide('image_set.export', subject('member', { mode: BLIND }))).toBe('forbidden');
    expect(decide('image_set.export', subject('team-admin', { mode: BLIND }))).toBe('allow');
    expect(decide('image_set.export', subject('reader'))).toBe('allow');
    expect(decide('version.see', subject('member', { mode: BLIND }))).toBe('hidden');
    expect(decide('version.see', subject('member'))).toBe('allow');
    expect(decide('version.administer', subject('member'))).toBe('forbidden');
  });

  it("[P7] `own` is the caller's alone, superusers included; `own-or-administer` also the team admin's", () => {
    expect(decide('verification.own', subject('superuser', { owner: 8 }))).toBe('forbidden');
    expect(decide('verification.own', subject('member', { owner: 7 }))).toBe('allow');
    expect(decide('membership.own-or-administer', subject('member', { owner: 7 }))).toBe('allow');
    expect(decide('membership.own-or-administer', subject('member', { owner: 8 }))).toBe('forbidden');
    expect(decide('membership.own-or-administer', subject('team-admin', { owner: 8 }))).toBe('allow');
  });

  it('[P8] a map is seen where its set is, in blind sets by team admins; made by the team; deleted by its maker or an admin', () => {
    expect(decide('annotation_map.see', subject('reader'))).toBe('allow');
    expect(decide('annotation_map.see', subject('member', { mode: BLIND }))).toBe('hidden');
    expect(decide('annotation_map.see', subject('team-admin', { mode: BLIND }))).toBe('allow');
    expect(decide('annotation_map.annotate', subject('reader'))).toBe('forbidden');
    expect(decide('image_set.map', subject('member'))).toBe('allow');
    expect(decide('image_set.map', subject('member', { mode: BLIND }))).toBe('forbidden');
    expect(decide('image_set.map', subject('reader'))).toBe('forbidden');
    expect(decide('image_set.map', subject('team-admin', { mode: BLIND }))).toBe('allow');
    expect(decide('annotation_map.own-or-administer', subject('member', { owner: 7 }))).toBe('allow');
    expect(decide('annotation_map.own-or-administer', subject('member', { owner: 8 }))).toBe('forbidden');
    expect(decide('annotation_map.own-or-administer', subject('team-admin', { owner: 8 }))).toBe('allow');
  });

  it('anonymous callers are refused everything but public endpoints', () => {
    expect(decide('public', subject('anonymous'))).toBe('allow');
    expect(decide('signed-in', subject('anonymous'))).toBe('hidden');
    expect(decide('superuser', subject('member'))).toBe('forbidden');
  });
});
