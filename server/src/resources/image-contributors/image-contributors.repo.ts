import { annotationInSeenCopy } from '../../access/policy/visibility.js';
import type { Queryable } from '../../db/database.js';
import { SqlConditions } from '../../db/filters.js';
import type { ListViewer } from '../users/users.repo.js';

export interface ContributorRow {
  image: number;
  id: number;
  username: string;
  created: number;
  edited: number;
}

/** The SQL of who worked on a set's images, from the annotation projection. */
export class ImageContributorsRepo {
  constructor(private readonly db: Queryable) {}

  /**
   * Per image and person: annotations made, and others' annotations edited last, counting only the
   * annotations the viewer sees (rule P2: in a blind set a reader's own copy, unless they administer).
   */
  async ofImageSet(viewer: ListViewer, imageSet: number): Promise<ContributorRow[]> {
    const q = new SqlConditions();
    const set = q.param(imageSet);
    const seen = annotationInSeenCopy(q, viewer, 'a', 's');
    return this.db.query<ContributorRow>(
      `SELECT a.image_id AS image, u.id, u.username,
         count(*) FILTER (WHERE a.user_id = u.id)::int AS created,
         count(*) FILTER (WHERE a.last_editor_id = u.id AND a.user_id IS DISTINCT FROM u.id)::int AS edited
       FROM annotations a
       JOIN image_sets s ON s.id = a.image_set_id
       JOIN users u ON u.id = a.user_id OR u.id = a.last_editor_id
       WHERE a.image_set_id = ${set} AND ${seen}
       GROUP BY a.image_id, u.id, u.username
       ORDER BY a.image_id, created DESC, edited DESC, u.username`,
      q.params,
    );
  }
}
