import { describe, expect, it } from 'vitest';
import type { Viewer } from '../../auth/viewer.js';
import { documentRetired, grantFor } from './document-grant.js';
import type { ImageAccessRow } from '../../collab/documents.repo.js';

const user: Viewer = { id: 5, username: 'u', isSuperuser: false, isStaff: false, via: 'session' };
const superuser: Viewer = { ...user, id: 6, isSuperuser: true };
const image = (o: Partial<ImageAccessRow> = {}): ImageAccessRow => ({
  image_id: 1,
  image_set_id: 2,
  team_id: 3,
  public: false,
  collaboration_type: 0,
  is_admin: null,
  annotation_region_size: null,
  ...o,
});
const shared = { imageId: 1, userId: null };
const copyOf = (userId: number) => ({ imageId: 1, userId });

describe('who may open a document', () => {
  it('[A1] refuses unknown images and private sets of other teams', () => {
    expect(grantFor(user, shared, undefined)).toBeNull();
    expect(grantFor(user, shared, image())).toBeNull();
  });

  it('[A4][A5] members write, admins and superusers too, outsiders of public sets read', () => {
    expect(grantFor(user, shared, image({ is_admin: false }))).toEqual({
      role: 'annotator',
      readOnly: false,
      imageSetId: 2,
    });
    expect(grantFor(user, shared, image({ is_admin: true }))?.readOnly).toBe(false);
    expect(grantFor(superuser, shared, image())?.readOnly).toBe(false);
    expect(grantFor(user, shared, image({ public: true }))).toEqual({
      role: 'viewer',
      readOnly: true,
      imageSetId: 2,
    });
  });

  it('[A2][A3] blind sets: own copy only, admins all, no shared document', () => {
    const blind = (o: Partial<ImageAccessRow>) => image({ collaboration_type: 1, ...o });
    expect(grantFor(user, copyOf(5), blind({ is_admin: false }))?.readOnly).toBe(false);
    expect(grantFor(user, copyOf(9), blind({ is_admin: false }))).toBeNull();
    expect(grantFor(user, shared, blind({ is_admin: true }))).toBeNull();
    expect(grantFor(user, copyOf(9), blind({ is_admin: true }))?.readOnly).toBe(false);
    expect(grantFor(superuser, copyOf(9), blind({}))?.readOnly).toBe(false);
    expect(grantFor(user, copyOf(9), blind({ public: true }))).toBeNull();
    expect(grantFor(user, copyOf(5), image({ is_admin: false }))).toBeNull();
  });

  it('[G1][G6] parts only of images with regions; their whole document is retired', () => {
    const region = { ...shared, part: { kind: 'region', region: { x: 1, y: 2 } } } as const;
    const index = { ...copyOf(5), part: { kind: 'index' } } as const;
    expect(grantFor(user, region, image({ is_admin: false }))).toBeNull();
    expect(grantFor(user, index, image({ is_admin: false, collaboration_type: 1 }))).toBeNull();
    const sharded = image({ is_admin: false, annotation_region_size: 4096 });
    expect(grantFor(user, region, sharded)?.readOnly).toBe(false);
    expect(grantFor(user, index, { ...sharded, collaboration_type: 1 })?.readOnly).toBe(false);
    expect(
      grantFor(user, { ...copyOf(9), part: index.part }, { ...sharded, collaboration_type: 1 }),
    ).toBeNull();
    expect(documentRetired(shared, sharded)).toBe(true);
    expect(documentRetired(region, sharded)).toBe(false);
    expect(documentRetired(shared, image())).toBe(false);
  });
});
