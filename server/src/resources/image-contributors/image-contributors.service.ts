import type { ImageContributors } from '@tessera/shared';
import { requireOnImageSet } from '../../access/policy/enforce.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/database.js';
import { ImageContributorsRepo } from './image-contributors.repo.js';

/** Who worked on which image of a set (the set page's "worked on by"). */
export class ImageContributorsService {
  constructor(private readonly db: Database) {}

  /** Per image, the people who made or last edited its annotations, most productive first. */
  async ofImageSet(viewer: Viewer, imageSet: number): Promise<ImageContributors> {
    await requireOnImageSet(this.db, viewer, imageSet, 'image_set.see');
    const rows = await new ImageContributorsRepo(this.db).ofImageSet(viewer, imageSet);
    const byImage = new Map<number, ImageContributors['results'][number]>();
    for (const { image, ...user } of rows) {
      let entry = byImage.get(image);
      if (entry === undefined) byImage.set(image, (entry = { image, users: [] }));
      entry.users.push(user);
    }
    return { results: [...byImage.values()] };
  }
}
