import type { ExportWriter } from './export-model.js';

/*
 * CSV, one row per annotation (RFC 4180 quoting): the EXACT fields a spreadsheet or pandas wants,
 * with the vector as EXACT's JSON.
 */

const HEADER = [
  'id',
  'unique_identifier',
  'image',
  'image_name',
  'annotation_type',
  'annotation_type_name',
  'vector',
  'deleted',
  'generated',
  'score',
  'description',
];

/** The CSV writer. */
export const csvWriter: ExportWriter = {
  contentType: 'text/csv; charset=utf-8',
  extension: 'csv',
  head() {
    return `${HEADER.join(',')}\r\n`;
  },
  row(row, context) {
    const cells = [
      row.id,
      row.unique_identifier,
      row.image_id,
      context.images.get(row.image_id)?.name ?? '',
      row.annotation_type_id,
      context.types.get(row.annotation_type_id)?.name ?? '',
      row.vector === null ? '' : JSON.stringify(row.vector),
      row.deleted,
      row.generated,
      row.score ?? '',
      row.description,
    ];
    return `${cells.map((c) => quote(String(c))).join(',')}\r\n`;
  },
  tail() {
    return '';
  },
};

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}
