import { Readable } from 'node:stream';
import type { Context } from 'koa';
import type { InspectResult, SystemLibrary } from '@tessera/tiler';
import { signTileToken, type TileTokenPayload } from '@tessera/tiler/token';
import { AppError } from '../errors/app-error.js';

/** What the tiler reports about an image it opened (and converted), or why it could not. */
export type InspectOutcome = { ok: true; result: InspectResult } | { ok: false; reason: string };

const TOKEN_SECONDS = 3600;

/** The server's side of the tiler: signs tokens, asks it to inspect uploads, relays pixel requests. */
export class TilerClient {
  private missing: Promise<readonly SystemLibrary[]> | undefined;

  constructor(
    private readonly baseUrl: string,
    private readonly secret: string,
  ) {}

  /** A token for one image's pixels; it expires on the next full hour so tile URLs stay cacheable. */
  token(payload: Omit<TileTokenPayload, 'v' | 'exp'>): string {
    const now = Math.floor(Date.now() / 1000);
    const exp = (Math.floor(now / TOKEN_SECONDS) + 2) * TOKEN_SECONDS;
    return signTileToken(this.secret, { v: 1, exp, ...payload });
  }

  /**
   * The optional system packages (OpenSlide, ffmpeg) the tiler lacks, from its /healthz; asked once
   * per process. An unreachable tiler reports nothing missing (and is asked again next time).
   */
  missingLibraries(): Promise<readonly SystemLibrary[]> {
    this.missing ??= fetch(`${this.baseUrl}/healthz`)
      .then(async (response) => {
        const body = (await response.json()) as { missing?: SystemLibrary[] };
        return body.missing ?? [];
      })
      .catch(() => {
        this.missing = undefined;
        return [];
      });
    return this.missing;
  }

  /**
   * Asks the tiler to open (and if needed convert) an upload. A 422 is the file's fault and final; a
   * network failure or 5xx is thrown so the job is retried.
   */
  async inspect(imageId: number, src: string, out: string, signal?: AbortSignal): Promise<InspectOutcome> {
    const token = this.token({ img: imageId, src, out, scope: ['inspect'] });
    const response = await fetch(`${this.baseUrl}/v1/inspect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token }),
      signal,
    });
    if (response.status === 422) {
      const body = (await response.json()) as { error?: string };
      return { ok: false, reason: body.error ?? 'The tiler could not read this file.' };
    }
    if (!response.ok) throw new Error(`tiler answered ${response.status} to inspect`);
    return { ok: true, result: (await response.json()) as InspectResult };
  }

  /** Streams a tiler answer (`/v1/t/<token>/<rest>`) to the client, keeping status and cache headers. */
  async relay(ctx: Context, token: string, rest: string): Promise<void> {
    const headers: Record<string, string> = {};
    const ifNoneMatch = ctx.get('if-none-match');
    if (ifNoneMatch !== '') headers['if-none-match'] = ifNoneMatch;
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/v1/t/${token}/${rest}`, { headers });
    } catch {
      throw new AppError('service_unavailable', 'The tiler is not reachable.');
    }
    if (response.status === 404) throw AppError.notFound();
    if (response.status === 400) {
      const body = (await response.json().catch(() => ({}))) as { error?: string };
      throw AppError.badRequest(body.error ?? 'Bad request.');
    }
    ctx.status = response.status;
    for (const name of ['content-type', 'etag', 'cache-control', 'last-modified']) {
      const value = response.headers.get(name);
      if (value !== null) ctx.set(name, value);
    }
    ctx.body = response.body && response.status !== 304 ? Readable.fromWeb(response.body) : null;
  }
}
