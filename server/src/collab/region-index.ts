import type { afterLoadDocumentPayload, beforeUnloadDocumentPayload, Extension } from '@hocuspocus/server';
import {
  changedAnnotations,
  regionIndexOf,
  regionKey,
  writeRegionSummary,
  type Region,
  type RegionSummary,
} from '@tessera/shared';
import type * as Y from 'yjs';
import type { Logger } from '../logging/logger.js';
import { formatDocumentName, parseDocumentName } from './document-names.js';
import { RegionContents } from './region-contents.js';
import type { RegionSizes } from './region-sizes.js';

/** A server-side write of a document (Collaboration.write's path, rule P5). */
export type WriteDocument = (name: string, change: (doc: Y.Doc) => void) => Promise<void>;

/** Whether an image's set is blind now (undefined: no such image). */
export type IsBlind = (imageId: number) => Promise<boolean | undefined>;

/** How long changes of an image's regions gather before their summaries are written (one transaction). */
export const REGION_INDEX_DELAY_MS = 250;

/** A region whose summary is due: read from its loaded document when the write starts, or fixed. */
interface Due {
  readonly region: Region;
  readonly summary: () => RegionSummary;
}

interface Pending {
  readonly regions: Map<string, Due>;
  timer: NodeJS.Timeout | undefined;
  /** The index document's writes, one after another. */
  writing: Promise<void>;
}

/**
 * Rule G3 (README): the index document `<base>.regions` of an image with regions is the server's. After
 * changes of a loaded region document are applied, and when it loads (the index may lack it, or a
 * write may have been lost in a crash), its summary is written into the index through the
 * server-side write path, only where it changed (`writeRegionSummary`). Changes gather per index
 * document for REGION_INDEX_DELAY_MS from the first one, so a burst of edits costs one summary per
 * region and one transaction per index, however long it lasts.
 */
export class RegionIndexer implements Extension {
  readonly extensionName = 'tessera-region-index';
  private readonly pending = new Map<string, Pending>();
  private stopped = false;

  constructor(
    private readonly sizes: RegionSizes,
    private readonly isBlind: IsBlind,
    private readonly write: WriteDocument,
    private readonly logger: Logger,
    private readonly delayMs = REGION_INDEX_DELAY_MS,
  ) {}

  async afterLoadDocument(data: afterLoadDocumentPayload): Promise<void> {
    const name = parseDocumentName(data.documentName);
    if (name?.part?.kind !== 'region') return;
    let size: number | null | undefined;
    try {
      size = await this.sizes.forImage(name.imageId);
      // A reader's copy outside a blind set is only ever loaded to be merged and removed (B1):
      // writing its index would bring a removed copy back.
      if (name.userId !== null && (await this.isBlind(name.imageId)) !== true) return;
    } catch (error) {
      // The region still serves; its summary is written after its next load.
      this.logger.error({ err: error, document: data.documentName }, 'collab: region not indexed');
      return;
    }
    if (size === null || size === undefined) return;
    const doc: Y.Doc = data.document;
    const index = formatDocumentName({ ...name, part: { kind: 'index' } });
    const region = name.part.region;
    const contents = new RegionContents(doc, region, size);
    const due: Due = { region, summary: () => contents.summary() };
    doc.on('afterTransaction', (transaction: Y.Transaction) => {
      const changed = changedAnnotations(doc, transaction);
      if (changed.size === 0) return;
      contents.touch(changed);
      this.mark(index, data.documentName, due);
    });
    this.mark(index, data.documentName, due);
  }

  /** A region leaving memory with its summary still due: summarized now, written with the others. */
  beforeUnloadDocument(data: beforeUnloadDocumentPayload): Promise<void> {
    const name = parseDocumentName(data.documentName);
    if (name?.part?.kind !== 'region') return Promise.resolve();
    const index = formatDocumentName({ ...name, part: { kind: 'index' } });
    const due = this.pending.get(index)?.regions.get(data.documentName);
    if (due !== undefined) {
      const summary = due.summary();
      this.pending.get(index)?.regions.set(data.documentName, { region: due.region, summary: () => summary });
    }
    return Promise.resolve();
  }

  /** Writes every due summary now and stops (shutdown); a region's next load writes what is missed. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.pending.keys()].map((index) => this.flush(index)));
  }

  /** Resolves once the summaries due so far are written (tests, and callers that read the index). */
  async settled(index: string): Promise<void> {
    await this.flush(index);
  }

  private mark(index: string, document: string, due: Due): void {
    if (this.stopped) return;
    let pending = this.pending.get(index);
    if (pending === undefined) {
      pending = { regions: new Map(), timer: undefined, writing: Promise.resolve() };
      this.pending.set(index, pending);
    }
    pending.regions.set(document, due);
    pending.timer ??= setTimeout(() => {
      this.flush(index).catch(() => undefined);
    }, this.delayMs);
  }

  private flush(index: string): Promise<void> {
    const pending = this.pending.get(index);
    if (pending === undefined) return Promise.resolve();
    clearTimeout(pending.timer);
    pending.timer = undefined;
    pending.writing = pending.writing.then(async () => {
      if (pending.regions.size === 0) return;
      const summaries = [...pending.regions.values()].map((due) => ({
        region: due.region,
        summary: due.summary(),
      }));
      pending.regions.clear();
      try {
        await this.writeSummaries(index, summaries);
      } catch (error) {
        this.logger.error({ err: error, document: index }, 'collab: could not write region summaries');
      }
      if (pending.regions.size === 0 && pending.timer === undefined) this.pending.delete(index);
    });
    return pending.writing;
  }

  /** One transaction of the index document; nothing when every summary is as stored. */
  private async writeSummaries(
    index: string,
    summaries: readonly { region: Region; summary: RegionSummary }[],
  ): Promise<void> {
    const name = parseDocumentName(index);
    if (name !== null && name.userId !== null && (await this.isBlind(name.imageId)) !== true) return;
    await this.write(index, (doc) => {
      for (const { region, summary } of summaries) {
        // A region never written and still empty (opened, nothing drawn) needs no entry.
        if (summary.count === 0 && !regionIndexOf(doc).has(regionKey(region))) continue;
        writeRegionSummary(doc, region, summary);
      }
    });
  }
}
