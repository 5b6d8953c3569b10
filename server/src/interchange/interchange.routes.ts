import { text } from 'node:stream/consumers';
import type { Context } from 'koa';
import { exportQuery, importQuery, importReport, type ImportQuery } from '@tessera/shared';
import { endpoint, type Endpoint, type RawQuery } from '../api/endpoint.js';
import { parseQuery } from '../api/query-params.js';
import { idParams } from '../api/path-params.js';
import { AppError } from '../errors/app-error.js';
import { parseCoco } from './coco.js';
import type { ExportService } from './export.service.js';
import type { ExportSource } from './export.repo.js';
import { parseGeoJson } from './geojson.js';
import { ImportFormatError, type ParsedImport } from './import-model.js';
import type { ImportService } from './import.service.js';
import type { SplitsService } from '../versions/splits.service.js';
import { parseLabelLines } from './label-lines.js';

const TAG = 'exports and imports';
/** Label-line files are read whole (JSON bodies are read by the body parser, up to its 20 MB). */
const MAX_TEXT_BYTES = 50 * 1024 * 1024;

const exportDescription =
  'Streamed. format: coco, geojson (as QuPath imports it) or csv; filters: annotation_type (ids), ' +
  'include_deleted, verified_only, min_verifications; image (ids, comma-separated) for one image.';

/** Exports of a version or of an image set now, and imports into an image set. */
export function interchangeEndpoints(
  exports: ExportService,
  imports: ImportService,
  splits: SplitsService,
): Endpoint[] {
  const exportHandler = (source: (id: number) => ExportSource) =>
    async function handler(input: {
      viewer: Parameters<ExportService['open']>[0];
      params: { readonly id: number };
      query: RawQuery;
      ctx: Context;
    }) {
      const query = parseQuery(exportQuery, input.query);
      const from = source(input.params.id);
      let images = imagesOf(input.query);
      if (query.split !== undefined) {
        if (!('version' in from)) throw AppError.invalidField('split', 'Splits belong to versions.');
        const part = await splits.part(input.viewer, from.version, query.split, query.part);
        images = images ? images.filter((i) => part.includes(i)) : part;
      }
      const opened = await exports.open(input.viewer, from, query, images);
      input.ctx.status = 200;
      input.ctx.type = opened.contentType;
      input.ctx.attachment(opened.filename);
      input.ctx.body = opened.body;
      return { streamed: true };
    };
  return [
    endpoint({
      method: 'get',
      path: '/images/set_versions/:id/export/',
      policy: 'version.export',
      params: idParams,
      tag: TAG,
      summary: 'Exports a version',
      description: exportDescription,
      handler: exportHandler((version) => ({ version })),
    }),
    endpoint({
      method: 'get',
      path: '/images/image_sets/:id/export/',
      policy: 'image_set.export',
      params: idParams,
      tag: TAG,
      summary: "Exports an image set's annotations as they are now",
      description: exportDescription,
      handler: exportHandler((imageSet) => ({ imageSet })),
    }),
    endpoint({
      method: 'post',
      path: '/images/image_sets/:id/import/',
      policy: 'image_set.annotate',
      params: idParams,
      tag: TAG,
      summary: 'Imports annotations (COCO, GeoJSON, EXACT label lines) into an image set',
      description:
        'The file is the request body. A malformed file is refused whole (400 naming the line or ' +
        'feature); items whose image or annotation type the set lacks are skipped and reported.',
      response: importReport,
      async handler({ viewer, params, query, ctx }) {
        const options = parseQuery(importQuery, query);
        // The policy before the body: a caller who may not write here reads no file first.
        await imports.requireWritable(viewer, params.id);
        const parsed = await parseBody(ctx, options.format);
        const report = await imports.importInto(viewer, params.id, parsed, {
          generated: options.generated,
          ...(options.image === undefined ? {} : { imageId: options.image }),
        });
        return { body: report };
      },
    }),
  ];
}

function imagesOf(query: RawQuery): number[] | undefined {
  const raw = query.image;
  if (raw === undefined) return undefined;
  const value = Array.isArray(raw) ? (raw.at(-1) ?? '') : raw;
  if (!/^\d{1,10}(,\d{1,10})*$/.test(value))
    throw AppError.invalidField('image', 'Give image ids separated by commas.');
  return value.split(',').map(Number);
}

/** The import file from the body: JSON (parsed already, or as text of another type) or label lines. */
async function parseBody(ctx: Context, format: ImportQuery['format']): Promise<ParsedImport> {
  // JSON bodies were read by the body parser; other types (text/plain, geo+json) are still unread.
  let body: unknown = ctx.is('json') ? (ctx.request as { body?: unknown }).body : undefined;
  if (body === undefined) {
    const length = Number(ctx.get('content-length') || '0');
    if (length > MAX_TEXT_BYTES)
      throw new AppError('payload_too_large', `Import files are limited to ${MAX_TEXT_BYTES} bytes.`);
    const raw = await text(ctx.req);
    if (raw.length > MAX_TEXT_BYTES)
      throw new AppError('payload_too_large', `Import files are limited to ${MAX_TEXT_BYTES} bytes.`);
    if (raw.trim() === '') throw AppError.badRequest('The import file is empty.');
    if (format === 'exact') body = raw;
    else {
      try {
        body = JSON.parse(raw);
      } catch (error) {
        throw AppError.badRequest(`The file is not JSON: ${(error as Error).message}`);
      }
    }
  }
  try {
    if (format === 'coco') return parseCoco(body);
    if (format === 'geojson') return parseGeoJson(body);
    if (typeof body !== 'string') throw new ImportFormatError('label lines: send the file as text/plain');
    return parseLabelLines(body);
  } catch (error) {
    if (error instanceof ImportFormatError) throw AppError.badRequest(error.message);
    throw error;
  }
}
