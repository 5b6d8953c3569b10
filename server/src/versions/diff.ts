import { changedField, type ChangedField, type VersionDiff } from '@tessera/shared';
import type { Queryable } from '../db/database.js';
import { DiffRepo, type DiffSide } from './diff.repo.js';

/** At most this many annotations are listed one by one; the counts always cover everything. */
export const DIFF_DETAIL_LIMIT = 10_000;

type Counts = VersionDiff['totals'];
type ImageDiff = VersionDiff['images'][number];

/** The fields a diff reports, in the API's order. */
const FIELDS: readonly ChangedField[] = changedField.options;

/**
 * What changed from `from` to `to` (two versions, or a version and now), per image: annotations
 * added, removed, restored and changed (with the fields that changed), and counts per annotation type.
 */
export async function diffVersions(
  db: Queryable,
  from: number | 'now',
  to: number | 'now',
  limit = DIFF_DETAIL_LIMIT,
): Promise<VersionDiff> {
  // The repository reads versions oldest first; a backwards diff classifies from the newer side.
  const backwards = from !== 'now' && to !== 'now' && from > to;
  const reference = from === 'now' ? (to as number) : from;
  const side = (s: number | 'now'): DiffSide => (s === 'now' ? { nowOfVersion: reference } : { version: s });
  const [older, newer] = backwards ? [side(to), side(from)] : [side(from), side(to)];
  const repo = new DiffRepo(db);
  const documents =
    'version' in older && 'version' in newer
      ? await repo.documents(older.version, newer.version)
      : { both: [], onlyOlder: [], onlyNewer: [] };
  const [counts, details] = await Promise.all([
    repo.counts(older, newer, documents, backwards),
    repo.details(older, newer, documents, backwards, limit + 1),
  ]);
  const images = new Map<number, ImageDiff>();
  const imageOf = (id: number): ImageDiff => {
    let image = images.get(id);
    if (!image) images.set(id, (image = { image: id, ...zero(), by_type: {}, annotations: [] }));
    return image;
  };
  const totals = zero();
  for (const row of counts) {
    const image = imageOf(row.image_id);
    const byType = (image.by_type[String(row.annotation_type_id)] ??= zero());
    for (const target of [image, byType, totals]) target[row.change] += row.n;
  }
  for (const row of details.slice(0, limit)) {
    imageOf(row.image_id).annotations.push({
      unique_identifier: row.unique_identifier,
      annotation_type: row.annotation_type_id,
      change: row.change,
      fields: row.change === 'changed' ? FIELDS.filter((field) => row[field]) : [],
    });
  }
  return {
    from,
    to,
    totals,
    images: [...images.values()].sort((a, b) => a.image - b.image),
    truncated: details.length > limit,
  };
}

function zero(): Counts {
  return { added: 0, removed: 0, changed: 0, restored: 0 };
}
