import { describe, expect, it } from 'vitest';
import { csvCell, csvWriter } from './csv.js';
import type { ExportContext, ExportRow } from './export-model.js';

const context: ExportContext = {
  images: new Map([[7, { id: 7, name: '@slide.svs', width: 10, height: 10 }]]),
  types: new Map([[3, { id: 3, name: '+cell', vector_type: 1, color_code: '#fff' }]]),
};

const row: ExportRow = {
  id: 1,
  image_id: 7,
  unique_identifier: 'u-1',
  annotation_type_id: 3,
  vector: { x1: 0, y1: 0, x2: 1, y2: 1 },
  deleted: false,
  description: '=HYPERLINK("https://example.org","open me")',
  generated: false,
  score: -1.5,
};

describe('CSV export cells', () => {
  it('neutralises text that starts like a formula, in every text column', () => {
    const line = csvWriter.row(row, context, true) ?? '';
    expect(line).toBe(
      `1,u-1,7,'@slide.svs,3,'+cell,"{""x1"":0,""y1"":0,""x2"":1,""y2"":1}",false,false,-1.5,` +
        `"'=HYPERLINK(""https://example.org"",""open me"")"\r\n`,
    );
  });

  it('prefixes = + - @ tab and carriage return in text, and leaves numbers numbers', () => {
    expect(['=1', '+1', '-1.5', '@SUM(A1)', '\tx', '\rx'].map(csvCell)).toEqual([
      "'=1",
      "'+1",
      "'-1.5",
      "'@SUM(A1)",
      "'\tx",
      `"'\rx"`,
    ]);
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(false)).toBe('false');
    expect(csvCell('plain text')).toBe('plain text');
  });

  it('never leaves a text cell whose first character a spreadsheet reads as a formula', () => {
    for (let code = 0; code < 0x250; code++) {
      const cell = csvCell(`${String.fromCharCode(code)}1+2`);
      const unquoted = cell.startsWith('"') ? cell.slice(1) : cell;
      expect(unquoted).not.toMatch(/^[=+\-@\t\r]/);
    }
  });
});
