/*
 * A set's study statistics from its rows (pure): who the readers are, their counts and time per image,
 * and, for blind sets, their agreement.
 *
 * Readers: the team's members who are not team admins (so one who has not started shows with zeros),
 * and everyone with annotations in the set (a team admin who reads too, a former member). Time comes
 * from the readers' own log entries only: a study lead opening readers' copies is no reader.
 * Agreement (blind sets only; elsewhere readers see each other's work) counts the readers with at
 * least one annotation; image-level labels (no geometry) are matched among themselves (agreement.ts).
 */
import type { PairAgreement, ReaderStatistics, StudyStatistics } from '@tessera/shared';
import { fleissAgreement, pairAgreement, type ImageReadings, type RatedShape } from './agreement.js';
import type { MatchRule } from './matching.js';
import { readingTimes, type ImageActionEntry, type VisitTotals } from './reading-time.js';
import type { StudyAnnotationRow } from './study-statistics.repo.js';
import { groupBy } from './group-by.js';

export interface StudyInput {
  readonly imageSetId: number;
  readonly blind: boolean;
  readonly rule: MatchRule;
  readonly sessionCapMs: number;
  readonly annotations: readonly StudyAnnotationRow[];
  readonly imageActions: readonly ImageActionEntry[];
  readonly expectedReaders: readonly number[];
  readonly usernames: ReadonlyMap<number, string>;
  readonly images: readonly { id: number; name: string }[];
  readonly annotationTypes: readonly { id: number; name: string }[];
}

/** The readers a set's statistics list: expected readers and everyone with annotations, by id. */
export function readersOf(input: Pick<StudyInput, 'annotations' | 'expectedReaders'>): number[] {
  const ids = new Set(input.expectedReaders);
  for (const row of input.annotations) if (row.reader_id !== null) ids.add(row.reader_id);
  return [...ids].sort((a, b) => a - b);
}

/** The statistics answer of `images/image_sets/<id>/study_statistics/`. */
export function studyReport(input: StudyInput): StudyStatistics {
  const readers = readersOf(input);
  const typeOrder = new Map(input.annotationTypes.map((t, i) => [t.id, i]));
  const rowsByReader = groupBy(input.annotations, (row) => row.reader_id);
  const visitsByReader = groupBy(readingTimes(input.imageActions, input.sessionCapMs), (v) => v.userId);
  return {
    image_set: input.imageSetId,
    blind: input.blind,
    rules: {
      iou_threshold: input.rule.iouThreshold,
      point_distance: input.rule.pointDistance,
      session_cap_seconds: input.sessionCapMs / 1000,
    },
    annotation_types: [...input.annotationTypes],
    images: [...input.images],
    readers: readers.map((reader) =>
      readerStatistics(
        reader,
        input.usernames.get(reader) ?? `user ${reader}`,
        rowsByReader.get(reader) ?? [],
        visitsByReader.get(reader) ?? [],
        typeOrder,
      ),
    ),
    agreement: input.blind ? agreement(input.annotations, input.rule) : null,
  };
}

function readerStatistics(
  user: number,
  username: string,
  rows: readonly StudyAnnotationRow[],
  logged: readonly VisitTotals[],
  typeOrder: ReadonlyMap<number, number>,
): ReaderStatistics {
  // Images whose log has only closings were never opened: they get no row.
  const visits = logged.filter((v) => v.visits + v.unclosedVisits > 0);
  const imageIds = [...new Set([...rows.map((r) => r.image_id), ...visits.map((v) => v.imageId)])].sort(
    (a, b) => a - b,
  );
  const rowsByImage = groupBy(rows, (r) => r.image_id);
  const visitByImage = new Map(visits.map((v) => [v.imageId, v]));
  const images = imageIds.map((image) => {
    const own = rowsByImage.get(image) ?? [];
    const visit = visitByImage.get(image);
    return {
      image,
      annotations: own.length,
      by_type: countByType(own, typeOrder),
      seconds: seconds(visit?.milliseconds ?? 0),
      visits: visit?.visits ?? 0,
      unclosed_visits: visit?.unclosedVisits ?? 0,
    };
  });
  const sum = (pick: (v: VisitTotals) => number) => visits.reduce((total, v) => total + pick(v), 0);
  return {
    user,
    username,
    annotations: rows.length,
    by_type: countByType(rows, typeOrder),
    images_annotated: images.filter((i) => i.annotations > 0).length,
    images_opened: visits.length,
    seconds: seconds(sum((v) => v.milliseconds)),
    visits: sum((v) => v.visits),
    unclosed_visits: sum((v) => v.unclosedVisits),
    capped_visits: sum((v) => v.cappedVisits),
    images,
  };
}

function countByType(rows: readonly StudyAnnotationRow[], typeOrder: ReadonlyMap<number, number>) {
  const counts = new Map<number, number>();
  for (const row of rows) counts.set(row.annotation_type_id, (counts.get(row.annotation_type_id) ?? 0) + 1);
  const rank = (id: number) => typeOrder.get(id) ?? Number.MAX_SAFE_INTEGER;
  return [...counts]
    .sort(([a], [b]) => rank(a) - rank(b) || a - b)
    .map(([annotation_type, count]) => ({ annotation_type, count }));
}

/** A row as matching takes it: a row without a bounding box is an image-level label. */
function ratedShape(row: StudyAnnotationRow): RatedShape {
  const { frame, annotation_type_id: label } = row;
  if (row.x_min === null || row.y_min === null || row.x_max === null || row.y_max === null)
    return { frame, xMin: 0, yMin: 0, xMax: 0, yMax: 0, label, imageLevel: true };
  return { frame, xMin: row.x_min, yMin: row.y_min, xMax: row.x_max, yMax: row.y_max, label };
}

/** Tenths of a second: finer is noise for reading times. */
const seconds = (milliseconds: number) => Math.round(milliseconds / 100) / 10;

function agreement(
  rows: readonly StudyAnnotationRow[],
  rule: MatchRule,
): NonNullable<StudyStatistics['agreement']> {
  const images = new Map<number, Map<number, RatedShape[]>>();
  for (const row of rows) {
    if (row.reader_id === null) continue;
    const byReader = images.get(row.image_id) ?? new Map<number, RatedShape[]>();
    images.set(row.image_id, byReader);
    const shapes = byReader.get(row.reader_id) ?? [];
    byReader.set(row.reader_id, shapes);
    shapes.push(ratedShape(row));
  }
  const readings: ImageReadings[] = [...images.values()];
  const readers = [...new Set(readings.flatMap((image) => [...image.keys()]))].sort((a, b) => a - b);
  const pairs: PairAgreement[] = [];
  for (const [i, a] of readers.entries()) {
    for (const b of readers.slice(i + 1)) {
      const result = pairAgreement(readings, a, b, rule);
      pairs.push({
        reader_a: a,
        reader_b: b,
        matched: result.matched,
        only_a: result.onlyA,
        only_b: result.onlyB,
        f1: result.f1,
        kappa: result.kappa,
        kappa_matched: result.kappaMatched,
      });
    }
  }
  const fleiss =
    readers.length >= 3 ? { readers: readers.length, ...fleissAgreement(readings, readers, rule) } : null;
  return { pairs, fleiss };
}
