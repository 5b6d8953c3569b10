import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import type { ExportFormat, ExportQuery } from '@tessera/shared';
import type { Viewer } from '../auth/viewer.js';
import type { Database } from '../db/database.js';
import { requireOnImageSet } from '../access/policy/enforce.js';
import type { Logger } from '../logging/logger.js';
import type { VersionsService } from '../versions/versions.service.js';
import { BinaryCopyReader } from '../db/binary-copy.js';
import { ByteOutput } from './byte-output.js';
import { cocoWriter } from './coco.js';
import { COCO_COPY_COLUMNS, CocoCopyWriter } from './coco-copy.js';
import { csvWriter } from './csv.js';
import type { ExportWriter } from './export-model.js';
import { ExportRepo, type ExportFilters, type ExportSource } from './export.repo.js';
import type { ExportFormatsService } from './export-formats.service.js';
import { exactTextWriter, textExportName, type TextExportInfo } from './exact-text.js';
import { geoJsonWriter } from './geojson.js';

const writers: Record<Exclude<ExportFormat, 'exact'>, ExportWriter> = {
  coco: cocoWriter,
  geojson: geoJsonWriter,
  csv: csvWriter,
};

/** An export ready to stream: its format's content type, a file name and the text as a stream. */
export interface OpenedExport {
  readonly contentType: string;
  readonly filename: string;
  readonly body: Readable;
}

/**
 * Exports of a version or of an image set now, streamed: rows come through a cursor a batch at a
 * time and are written with backpressure, so memory stays flat for a million annotations.
 */
export class ExportService {
  constructor(
    private readonly db: Database,
    private readonly versions: VersionsService,
    private readonly formats: ExportFormatsService,
    private readonly logger: Logger,
  ) {}

  /** Opens an export the viewer may read (404 for a version or set they cannot see). */
  async open(
    viewer: Viewer,
    source: ExportSource,
    query: ExportQuery,
    images?: number[],
  ): Promise<OpenedExport> {
    if ('version' in source) await this.versions.visible(viewer, source.version);
    // P4: a blind set's annotations are every reader's own copies: only its team admins take them all.
    else
      await requireOnImageSet(
        this.db,
        viewer,
        source.imageSet,
        'image_set.export',
        "Only the team's admins export a blind image set: it holds every reader's own annotations.",
      );
    const repo = new ExportRepo(this.db);
    const base = 'version' in source ? `version_${source.version}` : `imageset_${source.imageSet}`;
    let writer: ExportWriter;
    let filename: string;
    let filters: ExportFilters = {
      includeDeleted: query.include_deleted,
      minVerifications: query.verified_only ? Math.max(1, query.min_verifications) : query.min_verifications,
      ...(query.annotation_type ? { types: query.annotation_type } : {}),
      ...(images ? { images } : {}),
    };
    if (query.format === 'exact') {
      // EXACT's rules: the template picks the types and the verifications; "deleted" in the
      // annotation template includes deleted annotations.
      const format = await this.formats.usable(viewer, query.export_format);
      const described = await repo.describe(source);
      const info: TextExportInfo = {
        imageSet: described.name,
        description: described.description,
        location: described.location,
        team: described.team,
        exportId: base,
        usernames: new Map(),
      };
      writer = withUsernames(exactTextWriter(format, info), repo, info.usernames);
      filename = textExportName(format, info);
      filters = {
        ...filters,
        includeDeleted: format.annotation_format.includes('deleted'),
        minVerifications: format.min_verifications,
        extended: true,
        byImage: format.image_aggregation,
        ...(format.annotations_types.length > 0 ? { types: format.annotations_types } : {}),
      };
    } else {
      writer = writers[query.format];
      filename = `${base}.${writer.extension}`;
    }
    const body = new PassThrough();
    const producing =
      writer === cocoWriter
        ? this.produceCoco(source, filters, body)
        : this.produce(source, filters, writer, body);
    producing.catch((error: unknown) => {
      this.logger.error({ err: error }, 'export failed while streaming');
      body.destroy(error instanceof Error ? error : new Error(String(error)));
    });
    return { contentType: writer.contentType, filename, body };
  }

  private async produce(
    source: ExportSource,
    filters: ExportFilters,
    writer: ExportWriter,
    out: PassThrough,
  ): Promise<void> {
    const repo = new ExportRepo(this.db);
    const context = await repo.context(source, filters);
    const write = async (text: string): Promise<boolean> => {
      if (out.destroyed) return false;
      if (!out.write(text)) await drained(out);
      return !out.destroyed;
    };
    let first = true;
    await write(writer.head(context));
    await repo.each(source, filters, async (rows) => {
      if (writer.prepare) await writer.prepare(rows);
      let text = '';
      for (const row of rows) {
        const piece = writer.row(row, context, first);
        if (piece === null) continue;
        text += piece;
        first = false;
      }
      return write(text);
    });
    if (await write(writer.tail())) out.end();
  }

  /**
   * COCO, from binary COPY rows written as bytes (coco-copy.ts): the rows' path without a string or
   * an object per box, for exports of a million annotations (README.md). Backpressure pauses the COPY.
   */
  private async produceCoco(source: ExportSource, filters: ExportFilters, out: PassThrough): Promise<void> {
    const repo = new ExportRepo(this.db);
    const context = await repo.context(source, filters);
    const bytes = new ByteOutput((chunk) => {
      out.write(chunk);
    });
    const rows = new CocoCopyWriter(context, bytes);
    bytes.text(cocoWriter.head(context));
    const whole = await repo.copy(source, filters, COCO_COPY_COLUMNS, async (data) => {
      const tuples = new BinaryCopyReader(COCO_COPY_COLUMNS.length, (b, fields) => {
        rows.write(b, fields);
      });
      for await (const chunk of data) {
        if (out.destroyed) return false;
        tuples.push(chunk as Buffer);
        if (bytes.pending >= FLUSH_BYTES) bytes.flush();
        if (out.writableNeedDrain) await drained(out);
      }
      tuples.end();
      return true;
    });
    if (!whole || out.destroyed) return;
    bytes.ascii(cocoWriter.tail());
    bytes.flush();
    out.end();
  }
}

/**
 * Until `out` drains or closes. The event not seen stops being waited for: left waiting, each wait
 * kept a listener on the stream for the rest of the export (Node warned past ten).
 */
async function drained(out: PassThrough): Promise<void> {
  const stop = new AbortController();
  try {
    await Promise.race([
      once(out, 'drain', { signal: stop.signal }),
      once(out, 'close', { signal: stop.signal }),
    ]);
  } finally {
    stop.abort();
  }
}

/** Bytes gathered before they are handed to the response (fewer, larger writes). */
const FLUSH_BYTES = 256 * 1024;

/** A writer that looks up the user names each batch's rows name before they are written. */
function withUsernames(writer: ExportWriter, repo: ExportRepo, names: Map<number, string>): ExportWriter {
  return {
    ...writer,
    async prepare(rows) {
      const missing = new Set<number>();
      for (const row of rows) {
        for (const id of [row.user_id, row.last_editor_id]) if (id != null && !names.has(id)) missing.add(id);
      }
      if (missing.size === 0) return;
      for (const [id, name] of await repo.usernames([...missing])) names.set(id, name);
    },
  };
}
