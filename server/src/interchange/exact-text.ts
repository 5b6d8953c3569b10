import { boundingBox, vectorPoints, type TextExportFormat } from '@tessera/shared';
import type { ExportContext, ExportImage, ExportRow, ExportWriter } from './export-model.js';

/*
 * EXACT's templated text exports (its ExportFormat): a base template around `%%content`, an optional
 * image template around each image's annotations (`image_aggregation`), an annotation template, a
 * vector template repeated per point, and a template for image-level labels. Placeholders as EXACT
 * fills them; numbers are written as EXACT's Python would print them.
 */

/** What the templates say about the export as a whole. */
export interface TextExportInfo {
  readonly imageSet: string;
  readonly description: string;
  readonly location: string;
  readonly team: string;
  readonly exportId: string;
  /** User names by id, filled in per batch by `prepare`. */
  readonly usernames: Map<number, string>;
}

/** The file name a format gives an export (`name_format`). */
export function textExportName(format: TextExportFormat, info: TextExportInfo): string {
  return fill(format.name_format, {
    '%%imageset': info.imageSet,
    '%%team': info.team,
    '%%setlocation': info.location,
    '%%exportid': info.exportId,
  }).replace(/[/\\\0]/g, '_');
}

/** A streaming writer for one stored format; with image aggregation the rows must come by image. */
export function exactTextWriter(format: TextExportFormat, info: TextExportInfo): ExportWriter {
  const [before, after] = splitOnce(format.base_format, '%%content', info);
  let image: ExportImage | undefined;
  let buffered = '';
  let count = 0;
  const flushImage = (): string => {
    if (!image || format.image_format === null) return '';
    const text = fill(format.image_format, {
      ...imageValues(info, image),
      '%%annotations': buffered,
      '%%annoamount': String(count),
      '%%frame': '1',
    });
    buffered = '';
    count = 0;
    return `${text}\n`;
  };
  const aggregate = format.image_aggregation && format.image_format !== null;
  return {
    contentType: 'text/plain; charset=utf-8',
    extension: 'txt',
    head: () => before + '\n',
    row(row, context) {
      const text = `${annotationText(format, info, row, context)}\n`;
      if (!aggregate) return text;
      let out = '';
      if (image?.id !== row.image_id) {
        out = flushImage();
        image = context.images.get(row.image_id);
      }
      buffered += text;
      count++;
      return out;
    },
    tail: () => `${aggregate ? flushImage() : ''}${after}`,
  };
}

function annotationText(
  format: TextExportFormat,
  info: TextExportInfo,
  row: ExportRow,
  context: ExportContext,
) {
  const image = context.images.get(row.image_id) ?? { id: row.image_id, name: '', width: 0, height: 0 };
  const type = context.types.get(row.annotation_type_id)?.name ?? '';
  const base = { ...imageValues(info, image), '%%type': type };
  if (row.vector === null) return fill(format.not_in_image_format, base);
  const points = vectorPoints(row.vector);
  const rel = (v: number, size: number) => num(size > 0 ? v / size : 0);
  const vector = points
    .map((p, i) =>
      fill(format.vector_format, {
        '%%count0': String(i),
        '%%count1': String(i + 1),
        '%%relx': rel(p.x, image.width),
        '%%rely': rel(p.y, image.height),
        '%%x': num(p.x),
        '%%y': num(p.y),
        '%%br': '\n',
      }),
    )
    .join('');
  const box = boundingBox(row.vector) ?? { xMin: 0, yMin: 0, xMax: 0, yMax: 0 };
  const [width, height] = [box.xMax - box.xMin, box.yMax - box.yMin];
  const [cx, cy] = [box.xMin + width / 2, box.yMin + height / 2];
  let template = format.annotation_format;
  // Tessera has no blurred or concealed annotations: those conditionals are always false.
  for (const [conditional, keep] of [
    ['%%ifnotblurred', true],
    ['%%ifblurred', false],
    ['%%ifnotconcealed', true],
    ['%%ifconcealed', false],
  ] as const) {
    template = applyConditional(template, conditional, keep);
  }
  const user = (id: number | null | undefined) =>
    id == null ? '-1' : (info.usernames.get(id) ?? String(id));
  return fill(template, {
    ...base,
    '%%vector': vector,
    '%%frame': String(row.vector['frame'] ?? 1),
    '%%first_editor': user(row.user_id),
    '%%first_timepoint': row.time ?? '',
    '%%last_editor': user(row.last_editor_id),
    '%%last_timepoint': row.last_edit_time ?? '',
    '%%UUID': row.unique_identifier,
    '%%meta_data': JSON.stringify(row.meta_data ?? null),
    '%%deleted': row.deleted ? 'True' : 'False',
    '%%relminx': rel(box.xMin, image.width),
    '%%relminy': rel(box.yMin, image.height),
    '%%relmaxx': rel(box.xMax, image.width),
    '%%relmaxy': rel(box.yMax, image.height),
    '%%relwidth': rel(width, image.width),
    '%%relheight': rel(height, image.height),
    '%%relrad': rel(Math.max(width, height) / 2, Math.max(image.width, image.height)),
    '%%reldia': rel(Math.max(width, height), Math.max(image.width, image.height)),
    '%%relcx': rel(cx, image.width),
    '%%relcy': rel(cy, image.height),
    '%%minx': num(box.xMin),
    '%%miny': num(box.yMin),
    '%%maxx': num(box.xMax),
    '%%maxy': num(box.yMax),
    '%%width': num(width),
    '%%height': num(height),
    '%%rad': num(Math.max(width, height) / 2),
    '%%dia': num(Math.max(width, height)),
    '%%cx': num(cx),
    '%%cy': num(cy),
  }).replaceAll(',}', '}');
}

function imageValues(info: TextExportInfo, image: ExportImage): Record<string, string> {
  return {
    '%%imageset': info.imageSet,
    '%%imagewidth': String(image.width),
    '%%imageheight': String(image.height),
    '%%imagename': image.name,
  };
}

/** Replaces placeholders in one pass, longest first (so `%%relx` is not read as `%%rel` + `x`). */
function fill(template: string, values: Record<string, string>): string {
  const keys = Object.keys(values).sort((a, b) => b.length - a.length);
  if (keys.length === 0) return template;
  const pattern = new RegExp(keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return template.replace(pattern, (key) => values[key] ?? key);
}

/** EXACT's `%%ifX ... %%endif`: keeps the inner text or drops it. */
function applyConditional(template: string, conditional: string, keep: boolean): string {
  let out = template;
  for (let at = out.indexOf(conditional); at !== -1; at = out.indexOf(conditional)) {
    const end = out.indexOf('%%endif', at);
    if (end === -1) break;
    const inner = out.slice(at + conditional.length, end);
    out = out.slice(0, at) + (keep ? inner : '') + out.slice(end + '%%endif'.length);
  }
  return out;
}

function splitOnce(base: string, marker: string, info: TextExportInfo): [string, string] {
  const values = {
    '%%imageset': info.imageSet,
    '%%setdescription': info.description,
    '%%team': info.team,
    '%%setlocation': info.location,
    '%%view': '',
  };
  const at = base.indexOf(marker);
  if (at === -1) return [fill(base, values), ''];
  return [fill(base.slice(0, at), values), fill(base.slice(at + marker.length), values)];
}

const num = (value: number): string => String(value);
