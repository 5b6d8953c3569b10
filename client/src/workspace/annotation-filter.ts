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

/** The annotations that pass a filter, in creation order (newest last). */
export function filterAnnotations(all: readonly IndexedAnnotation[], f: ListFilter): IndexedAnnotation[] {
  const words = f.search
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  return all
    .filter((a) => {
      if (f.type !== null && a.record.type !== f.type) return false;
      if (f.keep !== undefined && !f.keep(a)) return false;
      if (words.length === 0) return true;
      const text =
        `${f.typeName(a.record.type)} ${f.userName(a.record.created.by)} ${a.record.description}`.toLowerCase();
      return words.every((w) => text.includes(w));
    })
    .sort((a, b) => a.record.created.at - b.record.created.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** How many annotations each type has. */
export function countByType(all: Iterable<IndexedAnnotation>): Map<number, number> {
  const counts = new Map<number, number>();
  for (const a of all) counts.set(a.record.type, (counts.get(a.record.type) ?? 0) + 1);
  return counts;
}
