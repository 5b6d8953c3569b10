import type { StudyStatistics } from '@tessera/shared';
import { csvCell } from '../../interchange/csv.js';

/**
 * The per-reader table as CSV (RFC 4180, cells through the export's formula guard): one row per
 * reader and image they opened or annotated, then one column per annotation type with its count.
 */
export function studyStatisticsCsv(statistics: StudyStatistics): string {
  const types = statistics.annotation_types;
  const imageNames = new Map(statistics.images.map((image) => [image.id, image.name]));
  const header = [
    'reader_id',
    'reader',
    'image_id',
    'image',
    'annotations',
    'seconds',
    'visits',
    'unclosed_visits',
    ...types.map((t) => t.name),
  ];
  const lines = [header.map(csvCell).join(',')];
  for (const reader of statistics.readers) {
    for (const image of reader.images) {
      const counts = new Map(image.by_type.map((c) => [c.annotation_type, c.count]));
      const cells = [
        reader.user,
        reader.username,
        image.image,
        imageNames.get(image.image) ?? '',
        image.annotations,
        image.seconds,
        image.visits,
        image.unclosed_visits,
        ...types.map((t) => counts.get(t.id) ?? 0),
      ];
      lines.push(cells.map(csvCell).join(','));
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
