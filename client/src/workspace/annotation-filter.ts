// The annotation list's filter: by type, a search over label, creator and description, and any other
// predicate (the review filter, review-filter.ts).
import type { IndexedAnnotation } from './annotation-index';

export interface ListFilter {
  type: number | null;
  search: string;
  typeName: (typeId: number) => string;
  userName: (userId: number) => string;
  /** Keeps only the annotations it accepts. */
  keep?: (a: IndexedAnnotation) => boolean;
}

/** Whether an annotation passes the filter. */
function matcher(f: ListFilter): (a: IndexedAnnotation) => boolean {
  const words = f.search
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  return (a) => {
    if (f.type !== null && a.record.type !== f.type) return false;
    if (f.keep !== undefined && !f.keep(a)) return false;
    if (words.length === 0) return true;
    const text =
      `${f.typeName(a.record.type)} ${f.userName(a.record.created.by)} ${a.record.description}`.toLowerCase();
    return words.every((w) => text.includes(w));
  };
}

/** Creation order (newest last), ties by id: the list's order. */
function byCreation(a: IndexedAnnotation, b: IndexedAnnotation): number {
  return a.record.created.at - b.record.created.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * The first `limit` annotations that pass a filter, in creation order, and how many pass. Runs on
 * every change of the document: sorting all 100,000 annotations each time took a quarter of a
 * second and held up the next live update, so only the first `limit` are kept in order (the index
 * yields annotations about in creation order, so most are turned away by one comparison).
 */
export function firstMatches(
  all: Iterable<IndexedAnnotation>,
  f: ListFilter,
  limit: number,
): { first: IndexedAnnotation[]; total: number } {
  const passes = matcher(f);
  const first: IndexedAnnotation[] = [];
  let total = 0;
  for (const a of all) {
    if (!passes(a)) continue;
    total++;
    if (limit <= 0) continue;
    if (first.length === limit) {
      const last = first[limit - 1];
      if (last !== undefined && byCreation(a, last) >= 0) continue;
      first.pop();
    }
    let lo = 0;
    let hi = first.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const other = first[mid];
      if (other !== undefined && byCreation(other, a) <= 0) lo = mid + 1;
      else hi = mid;
    }
    first.splice(lo, 0, a);
  }
  return { first, total };
}

/** How many annotations each type has. */
export function countByType(all: Iterable<IndexedAnnotation>): Map<number, number> {
  const counts = new Map<number, number>();
  for (const a of all) counts.set(a.record.type, (counts.get(a.record.type) ?? 0) + 1);
  return counts;
}
