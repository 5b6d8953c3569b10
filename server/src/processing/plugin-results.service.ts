import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type {
  restPluginResultAnnotationWrite,
  restPluginResultBitmapWrite,
  restPluginResultEntryWrite,
  restPluginResultWrite,
} from '@tessera/shared';
import type { PageRequest } from '../api/pagination.js';
import type { Viewer } from '../auth/viewer.js';
import type { Database } from '../db/database.js';
import type { ParsedFilter } from '../db/filters.js';
import { formatTimestamp } from '../db/timestamps.js';
import { AppError } from '../errors/app-error.js';
import { uniqueField } from '../errors/pg-errors.js';
import { requireJob } from './job-access.js';
import { typesOfImage } from './job-context.js';
import type { ProposalWriter } from './proposal-writer.js';
import {
  PluginResultsRepo,
  bitmapFilters,
  entryFilters,
  resultAnnotationFilters,
  resultFilters,
} from './plugin-results.repo.js';

type Page = PageRequest | undefined;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);

/** A read-only listing of one result table, shaped like the other resources for the shared Listing. */
function listingOf<T extends Record<string, unknown>>(
  name: string,
  filters: typeof resultFilters,
  list: (
    viewer: Viewer,
    filters: readonly ParsedFilter[],
    page: Page,
  ) => Promise<{ count: number; rows: T[] }>,
) {
  return {
    name,
    filters,
    relations: {},
    list,
    async find(viewer: Viewer, id: number) {
      return (await list(viewer, [{ name: 'id', lookup: 'exact', value: id }], undefined)).rows[0];
    },
    async load(viewer: Viewer, ids: readonly number[]) {
      return (await list(viewer, [{ name: 'id', lookup: 'in', value: ids }], undefined)).rows;
    },
  };
}

/**
 * EXACT's result tables: `pluginresults/` (one per job), `pluginresultentrys/` (named collections),
 * `pluginresultannotations/` (proposals: each also a generated annotation with its score in the live
 * document) and `pluginresultbitmaps/`. Seen where the job is; written by whoever may report on it.
 */
export class PluginResultsService {
  readonly results = listingOf('plugin_results', resultFilters, async (viewer, filters, page) => {
    const { count, rows } = await new PluginResultsRepo(this.db).listResults(viewer, filters, page);
    return {
      count,
      rows: rows.map((r) => ({
        id: r.id,
        job: r.job_id,
        plugin: r.plugin_id,
        image: r.image_id,
        created_time: formatTimestamp(r.created_time) ?? '',
        completed_time: formatTimestamp(r.completed_time),
        entries: r.entries,
      })),
    };
  });

  readonly entries = listingOf('plugin_result_entries', entryFilters, async (viewer, filters, page) => {
    const { count, rows } = await new PluginResultsRepo(this.db).listEntries(viewer, filters, page);
    return {
      count,
      rows: rows.map((e) => ({
        id: e.id,
        pluginresult: e.result_id,
        name: e.name,
        visible: e.visible,
        created_time: formatTimestamp(e.created_time) ?? '',
        annotation_results: e.annotation_results,
        bitmap_results: e.bitmap_results,
      })),
    };
  });

  readonly annotations = listingOf(
    'plugin_result_annotations',
    resultAnnotationFilters,
    async (viewer, filters, page) => {
      const { count, rows } = await new PluginResultsRepo(this.db).listAnnotations(viewer, filters, page);
      return {
        count,
        rows: rows.map((a) => ({
          id: a.id,
          pluginresultentry: a.entry_id,
          image: a.image_id,
          annotation_type: a.annotation_type_id,
          vector: a.vector,
          score: a.score,
          unique_identifier: a.annotation_uuid,
          time: formatTimestamp(a.created_time) ?? '',
        })),
      };
    },
  );

  readonly bitmaps = listingOf('plugin_result_bitmaps', bitmapFilters, async (viewer, filters, page) => {
    const { count, rows } = await new PluginResultsRepo(this.db).listBitmaps(viewer, filters, page);
    return {
      count,
      rows: rows.map((b) => ({
        id: b.id,
        pluginresultentry: b.entry_id,
        image: b.image_id,
        name: b.name,
        channels: b.channels,
        frame: b.frame,
        meta_data: b.meta_data,
        time: formatTimestamp(b.created_time) ?? '',
      })),
    };
  });

  constructor(
    private readonly db: Database,
    private readonly writer: ProposalWriter,
  ) {}

  async createResult(viewer: Viewer, input: z.infer<typeof restPluginResultWrite>): Promise<number> {
    const job = await requireJob(this.db, viewer, input.job, 'plugin_job.administer', 'job');
    if (input.image !== undefined && input.image !== job.image_id)
      throw AppError.invalidField('image', 'A result is of its job\u2019s image.');
    if (input.plugin !== undefined && input.plugin !== job.plugin_id)
      throw AppError.invalidField('plugin', 'A result is of its job\u2019s plugin.');
    return uniqueField('job', 'This job has a result already.', () =>
      new PluginResultsRepo(this.db).insertResult(job.id),
    );
  }

  async createEntry(viewer: Viewer, input: z.infer<typeof restPluginResultEntryWrite>): Promise<number> {
    const repo = new PluginResultsRepo(this.db);
    const jobId = await repo.jobOfResult(input.pluginresult);
    if (jobId === undefined) throw invalid('pluginresult', input.pluginresult);
    await requireJob(this.db, viewer, jobId, 'plugin_job.administer', 'pluginresult');
    return repo.insertEntry(input.pluginresult, input.name, input.visible);
  }

  /** Stores a worker's proposal and writes it into the live document at once, through the write path. */
  async createAnnotation(
    viewer: Viewer,
    input: z.infer<typeof restPluginResultAnnotationWrite>,
  ): Promise<number> {
    const repo = new PluginResultsRepo(this.db);
    const jobId = await repo.jobOfEntry(input.pluginresultentry);
    if (jobId === undefined) throw invalid('pluginresultentry', input.pluginresultentry);
    const job = await requireJob(this.db, viewer, jobId, 'plugin_job.administer', 'pluginresultentry');
    if (input.image !== undefined && input.image !== job.image_id)
      throw AppError.invalidField('image', 'A proposal is of its job\u2019s image.');
    const types = await typesOfImage(this.db, job.image_id);
    if (!types.some((t) => t.id === input.annotation_type))
      throw invalid('annotation_type', input.annotation_type);
    const [id] = await repo.insertAnnotations(input.pluginresultentry, [
      { type: input.annotation_type, vector: input.vector, score: input.score, uuid: randomUUID() },
    ]);
    await this.writer.drain();
    if (id === undefined) throw new Error('the proposal was not stored');
    return id;
  }

  async createBitmap(viewer: Viewer, input: z.infer<typeof restPluginResultBitmapWrite>): Promise<number> {
    const repo = new PluginResultsRepo(this.db);
    const jobId = await repo.jobOfEntry(input.pluginresultentry);
    if (jobId === undefined) throw invalid('pluginresultentry', input.pluginresultentry);
    await requireJob(this.db, viewer, jobId, 'plugin_job.administer', 'pluginresultentry');
    const bitmap = Buffer.from(input.bitmap, 'base64');
    if (bitmap.length > 8 * 1024 * 1024) throw AppError.invalidField('bitmap', 'A bitmap is at most 8 MB.');
    if (!bitmap.subarray(0, 4).equals(PNG) && !bitmap.subarray(0, 3).equals(JPEG))
      throw AppError.invalidField('bitmap', 'A bitmap is a PNG or a JPEG.');
    return repo.insertBitmap(input.pluginresultentry, {
      ...input,
      meta_data: input.meta_data ?? null,
      bitmap,
    });
  }

  /** A bitmap's bytes, for whoever sees its job. */
  async bitmapBytes(viewer: Viewer, id: number): Promise<{ bytes: Buffer; type: string }> {
    const row = await this.bitmaps.find(viewer, id);
    const bytes = row ? await new PluginResultsRepo(this.db).bitmapBytes(id) : undefined;
    if (!bytes) throw AppError.notFound();
    return { bytes, type: bytes.subarray(0, 4).equals(PNG) ? 'image/png' : 'image/jpeg' };
  }
}

function invalid(field: string, id: number): AppError {
  return AppError.invalidField(field, `Invalid pk "${id}" - object does not exist.`);
}
