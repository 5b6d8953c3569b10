import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { Context } from 'koa';
import { frameHeader, UPDATE_FRAMES_TYPE, type Region } from '@tessera/shared';
import type { Viewer } from '../auth/viewer.js';
import { AppError } from '../errors/app-error.js';
import { documentRetired, grantFor } from '../access/policy/document-grant.js';
import { BLIND } from '../access/policy/modes.js';
import { formatDocumentName, type DocumentName } from './document-names.js';
import type { DocumentsRepo } from './documents.repo.js';
import { SnapshotCache } from './snapshot-cache.js';

/**
 * An image's annotation document as stored (compacted state, then the newer log rows), for a browser
 * to apply before it opens the live connection (README rule S1). Loading a large document this way
 * costs the server a read and the wire a gzipped copy: the state compresses about 20x, and the
 * server need not have the document in memory nor encode it for the client.
 */
export class DocumentSnapshots {
  constructor(
    private readonly repo: DocumentsRepo,
    /** Told of every snapshot served, so the live document can start loading for the socket that follows. */
    private readonly onServed: (document: string, viewer: Viewer) => void = () => undefined,
    /** Stored copies already compressed, left by compactions on unloading (collab.server). */
    readonly cache: SnapshotCache = new SnapshotCache(),
  ) {}

  /**
   * The stored updates of the image's document that the viewer opens: the shared one, or in a blind
   * set their own copy; `owner` names another user's copy (team admins); `region`, one of its region
   * documents (G1: only an image with regions has them). Rules A1-A3 decide; 404 for anything refused.
   * With `gzipAccepted`, a copy compressed when the document unloaded answers when still current.
   */
  async read(
    viewer: Viewer,
    imageId: number,
    owner: number | null,
    region: Region | null = null,
    gzipAccepted = false,
  ): Promise<{ document: string } & ({ updates: Buffer[] } | { gzipped: Buffer })> {
    const image = await this.repo.imageAccess(imageId, viewer.id);
    const ownCopy = image?.collaboration_type === BLIND ? viewer.id : null;
    const name: DocumentName = {
      imageId,
      userId: owner ?? ownCopy,
      ...(region === null ? {} : { part: { kind: 'region', region } }),
    };
    if (!grantFor(viewer, name, image)) throw AppError.notFound();
    // G6: an image with regions has no whole document: the one a workspace opens for it is the index.
    const opened: DocumentName =
      image && documentRetired(name, image) ? { ...name, part: { kind: 'index' } } : name;
    const document = formatDocumentName(opened);
    if (gzipAccepted) {
      const gzipped = await this.cachedCopy(document);
      if (gzipped !== undefined) return { document, gzipped };
    }
    return { document, updates: await this.repo.storedUpdates(document) };
  }

  /** The cached compressed copy of `document` when it is still exactly what is stored. */
  private async cachedCopy(document: string): Promise<Buffer | undefined> {
    const cached = this.cache.get(document);
    if (cached === undefined) return undefined;
    const stored = await this.repo.storedVersion(document);
    if (stored.stateId === cached.stateId && !stored.newer) return cached.gzipped;
    if (stored.stateId !== cached.stateId) this.cache.forget(document);
    return undefined;
  }

  /**
   * A snapshot has been sent: the browser applies it now and connects next. Called once the response
   * has left, because loading a large document holds this process's thread for a while, which would
   * otherwise stall the response it is meant to overlap with.
   */
  served(document: string, viewer: Viewer): void {
    this.onServed(document, viewer);
  }
}

/** The headers of every S1 answer. */
function frameResponse(ctx: Context): void {
  ctx.status = 200;
  ctx.type = UPDATE_FRAMES_TYPE;
  // Each response reflects the log at its moment; a cached copy could miss acknowledged edits.
  ctx.set('Cache-Control', 'no-store');
  ctx.vary('Accept-Encoding');
}

/** Sends an already gzipped S1 answer (SnapshotCache). */
export function sendGzippedFrames(ctx: Context, gzipped: Buffer): void {
  frameResponse(ctx);
  ctx.set('Content-Encoding', 'gzip');
  ctx.body = gzipped;
}

/**
 * Sends framed updates (shared's update-frames format) as the response, gzipped (level 1: the state
 * shrinks ~20x at a fraction of the cost of a higher level) when the client accepts it.
 */
export function sendUpdateFrames(ctx: Context, updates: readonly Buffer[]): void {
  const chunks = updates.flatMap((update) => [Buffer.from(frameHeader(update.byteLength)), update]);
  frameResponse(ctx);
  const body = Readable.from(chunks);
  if (ctx.acceptsEncodings('gzip', 'identity') === 'gzip') {
    ctx.set('Content-Encoding', 'gzip');
    ctx.body = body.pipe(createGzip({ level: 1 }));
  } else {
    ctx.length = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
    ctx.body = body;
  }
}
