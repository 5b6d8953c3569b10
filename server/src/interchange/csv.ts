import type { ExportWriter } from './export-model.js';

/*
 * CSV, one row per annotation (RFC 4180 quoting): the EXACT fields a spreadsheet or pandas wants,
 * with the vector as EXACT's JSON. Every cell goes through csvCell, so text a user typed can never
 * run as a spreadsheet formula.
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
    return `${cells.map(csvCell).join(',')}\r\n`;
  },
  tail() {
    return '';
  },
};

/** Text that a spreadsheet would read as a formula (OWASP's list: = + - @, tab, carriage return). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell. Text starting like a formula (`=HYPERLINK(...)` in a description) gets a leading
 * apostrophe, OWASP's CSV-injection defence, so Excel, LibreOffice and Sheets show it as text. Only
 * text cells: numbers and booleans are written as they are, so a score of -1.5 stays a number; the
 * choice follows the value's type, never its look (a description "-1.5" is text and is prefixed).
 */
export function csvCell(value: string | number | boolean): string {
  if (typeof value !== 'string') return String(value);
  return quote(FORMULA_START.test(value) ? `'${value}` : value);
}

function quote(cell: string): string {
  return /[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
}
