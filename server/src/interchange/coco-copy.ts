import type { Vector } from '@tessera/shared';
import { int64At } from '../db/binary-copy.js';
import type { ByteOutput } from './byte-output.js';
import { cocoWriter } from './coco.js';
import type { ExportContext, ExportRow } from './export-model.js';
import { boxArea, isBoxLike } from './geometry.js';

/*
 * COCO's annotations straight from PostgreSQL's binary COPY rows into bytes (README.md): a box, most
 * of any large export, is written from its fields' bytes without a row object, a vector object or a
 * string; anything else (rings, lines, points, unusual vectors) is read into an ExportRow and written
 * by `cocoWriter`. Either way the text is what `cocoWriter` writes for the row (tested against it).
 */

/** The columns of row `r`, in the order the writer reads them. */
export const COCO_COPY_COLUMNS = [
  'r.id::int8',
  'r.image_id',
  'r.annotation_type_id',
  'r.unique_identifier',
  'r.deleted',
  'r.generated',
  'r.score',
  'r.description',
  'r.vector',
];

const ID = 0;
const IMAGE = 2;
const TYPE = 4;
const UUID = 6;
const DELETED = 8;
const GENERATED = 10;
const SCORE = 12;
const DESCRIPTION = 14;
const VECTOR = 16;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** A box's numbers, read from a jsonb's text; reused from row to row. */
interface BoxNumbers {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  frame: number | undefined;
}

/** Writes COPY rows as COCO annotations, with the comma between them. */
export class CocoCopyWriter {
  private first = true;
  private readonly box: BoxNumbers = { x1: 0, y1: 0, x2: 0, y2: 0, frame: undefined };

  constructor(
    private readonly context: ExportContext,
    private readonly out: ByteOutput,
  ) {}

  /** One tuple (`fields` as BinaryCopyReader gives them). */
  write(bytes: Buffer, fields: Int32Array): void {
    const type = this.context.types.get(bytes.readInt32BE(fields[TYPE]));
    if (type && isBoxLike(type.vector_type) && this.readBox(bytes, fields)) {
      this.writeBox(bytes, fields);
      this.first = false;
      return;
    }
    const piece = cocoWriter.row(rowOf(bytes, fields), this.context, this.first);
    if (piece === null) return;
    this.out.text(piece);
    this.first = false;
  }

  /**
   * Reads a vector of only the keys x1, y1, x2, y2 (all four) and frame, each a number, into
   * `this.box`; false for anything else (null, other keys, other values), which goes the general way.
   */
  private readBox(bytes: Buffer, fields: Int32Array): boolean {
    const start = fields[VECTOR] as number;
    if (start < 0) return false;
    const end = fields[VECTOR + 1] as number;
    // jsonb's binary form: a version byte (1), then the text.
    if (bytes[start] !== 1 || bytes[start + 1] !== 0x7b) return false;
    const box = this.box;
    let seen = 0;
    box.frame = undefined;
    let at = start + 2;
    for (;;) {
      while (at < end && (bytes[at] === 0x20 || bytes[at] === 0x2c)) at++;
      if (at >= end) return false;
      if (bytes[at] === 0x7d) break;
      if (bytes[at] !== QUOTE) return false;
      const keyStart = at + 1;
      let keyEnd = keyStart;
      while (keyEnd < end && bytes[keyEnd] !== QUOTE && bytes[keyEnd] !== BACKSLASH) keyEnd++;
      if (bytes[keyEnd] !== QUOTE) return false;
      at = keyEnd + 1;
      while (at < end && (bytes[at] === 0x3a || bytes[at] === 0x20)) at++;
      const numberStart = at;
      let integer = 0;
      let plain = true;
      if (bytes[at] === 0x2d) at++;
      const digitsStart = at;
      for (; at < end; at++) {
        const c = bytes[at] as number;
        if (c >= 0x30 && c <= 0x39) integer = integer * 10 + (c - 0x30);
        else if (c === 0x2e || c === 0x65 || c === 0x45 || c === 0x2b || c === 0x2d) plain = false;
        else break;
      }
      if (at === digitsStart) return false;
      // Beyond 15 digits a sum of digits may round differently from JSON.parse: parse those as it does.
      const value =
        plain && at - digitsStart <= 15
          ? bytes[numberStart] === 0x2d
            ? -integer
            : integer
          : Number(bytes.toString('latin1', numberStart, at));
      const length = keyEnd - keyStart;
      const k0 = bytes[keyStart];
      const k1 = bytes[keyStart + 1];
      if (length === 2 && (k0 === 0x78 || k0 === 0x79) && (k1 === 0x31 || k1 === 0x32)) {
        const bit = (k0 === 0x78 ? 1 : 4) * (k1 === 0x31 ? 1 : 2);
        if (bit === 1) box.x1 = value;
        else if (bit === 2) box.x2 = value;
        else if (bit === 4) box.y1 = value;
        else box.y2 = value;
        seen |= bit;
      } else if (length === 5 && bytes.toString('latin1', keyStart, keyEnd) === 'frame') box.frame = value;
      else return false;
    }
    return seen === 15;
  }

  /** coco.ts's boxRow, in bytes: the same numbers, the same order of arithmetic. */
  private writeBox(bytes: Buffer, fields: Int32Array): void {
    const out = this.out;
    const { x1, y1, x2, y2, frame } = this.box;
    const xMin = x2 < x1 ? x2 : x1;
    const xMax = x2 > x1 ? x2 : x1;
    const yMin = y2 < y1 ? y2 : y1;
    const yMax = y2 > y1 ? y2 : y1;
    out.ascii(this.first ? '{"id":' : ',{"id":');
    out.number(int64At(bytes, fields[ID] as number));
    out.ascii(',"image_id":');
    out.number(bytes.readInt32BE(fields[IMAGE]));
    out.ascii(',"category_id":');
    out.number(bytes.readInt32BE(fields[TYPE]));
    out.ascii(',"bbox":[');
    out.number(xMin);
    out.ascii(',');
    out.number(yMin);
    out.ascii(',');
    out.number(xMax - xMin);
    out.ascii(',');
    out.number(yMax - yMin);
    out.ascii('],"area":');
    out.number(boxArea(x1, y1, x2, y2));
    out.ascii(',"segmentation":[[');
    out.number(x1);
    out.ascii(',');
    out.number(y1);
    out.ascii(',');
    out.number(x2);
    out.ascii(',');
    out.number(y1);
    out.ascii(',');
    out.number(x2);
    out.ascii(',');
    out.number(y2);
    out.ascii(',');
    out.number(x1);
    out.ascii(',');
    out.number(y2);
    out.ascii(']],"iscrowd":0');
    const score = fields[SCORE] as number;
    if (score >= 0) {
      out.ascii(',"score":');
      out.number(bytes.readDoubleBE(score));
    }
    out.ascii(',"tessera":{"unique_identifier":"');
    out.uuid(bytes, fields[UUID] as number);
    out.ascii('","kind":"ring"');
    if (frame !== undefined) {
      out.ascii(',"frame":');
      out.number(frame);
    }
    out.ascii(bytes[fields[DELETED] as number] === 1 ? ',"deleted":true' : ',"deleted":false');
    out.ascii(bytes[fields[GENERATED] as number] === 1 ? ',"generated":true' : ',"generated":false');
    out.ascii(',"description":');
    writeJsonString(out, bytes, fields[DESCRIPTION] as number, fields[DESCRIPTION + 1] as number);
    out.ascii('}}');
  }
}

/** A text field as JSON.stringify writes it: as it is when nothing needs escaping. */
function writeJsonString(out: ByteOutput, bytes: Buffer, start: number, end: number): void {
  for (let i = start; i < end; i++) {
    const c = bytes[i] as number;
    if (c < 0x20 || c === QUOTE || c === BACKSLASH) {
      out.text(JSON.stringify(bytes.toString('utf8', start, end)));
      return;
    }
  }
  out.ascii('"');
  out.bytes(bytes, start, end);
  out.ascii('"');
}

/** The tuple as the general writers take it. */
function rowOf(bytes: Buffer, fields: Int32Array): ExportRow {
  const score = fields[SCORE] as number;
  const vector = fields[VECTOR] as number;
  return {
    id: int64At(bytes, fields[ID] as number),
    image_id: bytes.readInt32BE(fields[IMAGE]),
    annotation_type_id: bytes.readInt32BE(fields[TYPE]),
    unique_identifier: uuidText(bytes, fields[UUID] as number),
    deleted: bytes[fields[DELETED] as number] === 1,
    generated: bytes[fields[GENERATED] as number] === 1,
    score: score < 0 ? null : bytes.readDoubleBE(score),
    description: bytes.toString('utf8', fields[DESCRIPTION], fields[DESCRIPTION + 1]),
    // Our own column, written through the documents' schema: a Vector or null (jsonb: version byte first).
    vector:
      vector < 0 ? null : (JSON.parse(bytes.toString('utf8', vector + 1, fields[VECTOR + 1])) as Vector),
  };
}

function uuidText(bytes: Buffer, start: number): string {
  const hex = bytes.toString('hex', start, start + 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
