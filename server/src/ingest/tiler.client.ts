import http from 'node:http';
import type { Context } from 'koa';
import type { InspectResult, SystemLibrary } from '@tessera/tiler';
import { signTileToken, type TileTokenPayload } from '@tessera/tiler/token';
import { AppError } from '../errors/app-error.js';

/** What the tiler reports about an image it opened (and converted), or why it could not. */
export type InspectOutcome = { ok: true; result: InspectResult } | { ok: false; reason: string };

const TOKEN_SECONDS = 3600;

/** The figures of the tiler's /healthz the metrics read. */
export interface TilerHealth {
  readonly openSources: number;
  readonly cachedBytes: number;
  readonly cache: { readonly hits: number; readonly misses: number };
}

/** Headers of a tiler answer that the client sees too (what makes tiles cacheable). */
const RELAYED_HEADERS = ['content-type', 'content-length', 'etag', 'cache-control', 'last-modified'] as const;

/** A tiler answer read whole, with the headers that make it cacheable ('' where it had none). */
export interface TilerAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly etag: string;
  readonly cacheControl: string;
  readonly body: Buffer;
}

/** The server's side of the tiler: signs tokens, asks it to inspect uploads, relays pixel requests. */
export class TilerClient {
  private missing: Promise<readonly SystemLibrary[]> | undefined;
  /**
   * Relayed requests reuse connections to the tiler: a new TCP connection per tile cost more than the
   * tile itself once the tiler had it in memory.
   */
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 16 });
  /** Tile tokens of the current hour by image and source: signing is HMAC work done once per hour. */
  private readonly tileTokens = new Map<string, string>();
  private tileTokensExp = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly secret: string,
  ) {}

  /** A token for one image's pixels; it expires on the next full hour so tile URLs stay cacheable. */
  token(payload: Omit<TileTokenPayload, 'v' | 'exp'>): string {
    return signTileToken(this.secret, { v: 1, exp: currentExpiry(), ...payload });
  }

  /**
   * The `tiles` token of one image's source, signed once per hour: the same token for every tile of
   * the hour (and so the same tiler URL, which keeps its answers cacheable).
   */
  tilesToken(img: number, src: string): string {
    const exp = currentExpiry();
    if (exp !== this.tileTokensExp) {
      this.tileTokens.clear();
      this.tileTokensExp = exp;
    }
    const key = `${img}\u0000${src}`;
    let token = this.tileTokens.get(key);
    if (token === undefined) {
      // Bounded by the images viewed within one hour; a busy hour starts over rather than growing.
      if (this.tileTokens.size >= 50_000) this.tileTokens.clear();
      token = signTileToken(this.secret, { v: 1, exp, img, src, scope: ['tiles'] });
      this.tileTokens.set(key, token);
    }
    return token;
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
   * The tiler's own figures from its /healthz (open sources, cache bytes and lookups), for the
   * metrics; undefined when it does not answer within two seconds.
   */
  async health(): Promise<TilerHealth | undefined> {
    try {
      const response = await fetch(`${this.baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (!response.ok) return undefined;
      return (await response.json()) as TilerHealth;
    } catch {
      return undefined;
    }
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

  /**
   * Streams a tiler answer (`/v1/t/<token>/<rest>`) to the client, keeping status and cache headers,
   * over a kept-alive connection; the body is piped through, never held whole.
   */
  async relay(ctx: Context, token: string, rest: string): Promise<void> {
    const response = await this.ask(token, rest, ctx.get('if-none-match'), requestIdOf(ctx));
    ctx.status = response.statusCode ?? 502;
    for (const name of RELAYED_HEADERS) {
      const value = response.headers[name];
      if (typeof value === 'string') ctx.set(name, value);
    }
    if (ctx.status === 304) {
      response.resume();
      ctx.body = null;
    } else {
      ctx.body = response;
    }
  }

  /**
   * One tile (`tiles/<level>/<col>_<row>.jpeg` under a tiles token), read whole: tiles are small, and
   * whole they can be kept by the server. A 304 (the client's ETag matched) has an empty body; any
   * other answer but 404 and 400 (which become ours) is returned as the tiler gave it.
   */
  async tile(token: string, rest: string, ifNoneMatch: string, requestId?: string): Promise<TilerAnswer> {
    const response = await this.ask(token, rest, ifNoneMatch, requestId);
    const chunks: Buffer[] = [];
    let length = 0;
    try {
      for await (const chunk of response) {
        chunks.push(chunk as Buffer);
        length += (chunk as Buffer).length;
      }
    } catch {
      // The tiler went away mid-answer (crash, restart): as unreachable as before it answered.
      throw unreachable();
    }
    // A buffer of its own: a small one from Node's shared pool would keep the whole pool slab alive.
    const body = Buffer.allocUnsafeSlow(length);
    let at = 0;
    for (const chunk of chunks) at += chunk.copy(body, at);
    return {
      status: response.statusCode ?? 502,
      contentType: stringHeader(response, 'content-type'),
      etag: stringHeader(response, 'etag'),
      cacheControl: stringHeader(response, 'cache-control'),
      body,
    };
  }

  /**
   * Asks the tiler for `/v1/t/<token>/<rest>`; its 404 and 400 become ours, other answers are returned.
   * The request's id goes along: the tiler logs under it, so one id follows a tile through both processes.
   */
  private async ask(
    token: string,
    rest: string,
    ifNoneMatch: string,
    requestId: string | undefined,
  ): Promise<http.IncomingMessage> {
    const headers: Record<string, string> = ifNoneMatch === '' ? {} : { 'if-none-match': ifNoneMatch };
    if (requestId !== undefined) headers['x-request-id'] = requestId;
    const response = await this.get(`${this.baseUrl}/v1/t/${token}/${rest}`, headers);
    if (response.statusCode === 404) {
      response.resume();
      throw AppError.notFound();
    }
    if (response.statusCode === 400) {
      const body = (await jsonOf(response)) as { error?: string };
      throw AppError.badRequest(body.error ?? 'Bad request.');
    }
    return response;
  }

  private get(url: string, headers: Record<string, string>): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const request = http.get(url, { agent: this.agent, headers }, resolve);
      request.on('error', () => {
        reject(unreachable());
      });
    });
  }

  /** Closes the kept-alive connections (at shutdown). */
  close(): void {
    this.agent.destroy();
  }
}

const unreachable = (): AppError => new AppError('service_unavailable', 'The tiler is not reachable.');

/** Tokens expire at the end of the next full hour: valid for one to two hours, the same all hour. */
function currentExpiry(): number {
  const now = Math.floor(Date.now() / 1000);
  return (Math.floor(now / TOKEN_SECONDS) + 2) * TOKEN_SECONDS;
}

/** The id the request log gave this request (X-Request-Id). */
export function requestIdOf(ctx: Context): string | undefined {
  return (ctx.state as { requestId?: string }).requestId;
}

function stringHeader(response: http.IncomingMessage, name: string): string {
  const value = response.headers[name];
  return typeof value === 'string' ? value : '';
}

/** A small JSON body (an error message); anything unreadable is an empty object. */
async function jsonOf(response: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    return {};
  }
}
