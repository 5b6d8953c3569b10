// Test-only: a real tiler on port 0 over a temporary storage root holding copies of the test slides.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { signTileToken, type TileTokenPayload, type TileTokenScope } from '../access/tile-token.js';
import { parseTilerConfig, type TilerConfig } from '../config.js';
import { slidePath } from './reference.js';
import { createTilerServer, type TilerServer, type TilerServerOptions } from '../http/server.js';

/** The HMAC secret the test tilers use. */
export const TEST_SECRET = 'test-secret-for-the-tiler-0123456789abcdef';

/** A running test tiler. */
export interface TestTiler {
  readonly url: string;
  readonly storageRoot: string;
  readonly config: TilerConfig;
  readonly tiler: TilerServer;
  /** Signs a token for `src` (valid for an hour unless `exp` is given). */
  token(src: string, scope: TileTokenScope[], extra?: Partial<TileTokenPayload>): string;
  /** Sets the tiler's clock (seconds since the epoch); null returns to real time. */
  setNow(seconds: number | null): void;
  close(): Promise<void>;
}

/** Starts a tiler whose storage root holds copies of `slides` (test slide file names, see slidePath). */
export async function startTestTiler(
  slides: readonly string[],
  env: Record<string, string> = {},
  options: Pick<TilerServerOptions, 'layout' | 'logger'> = {},
): Promise<TestTiler> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tessera-tiler-'));
  const storageRoot = join(dataDir, 'images');
  await mkdir(join(storageRoot, 'set'), { recursive: true });
  await Promise.all(slides.map((name) => copyFile(slidePath(name), join(storageRoot, 'set', name))));
  const parsed = parseTilerConfig({
    TESSERA_DATA_DIR: dataDir,
    TESSERA_TILER_SECRET: TEST_SECRET,
    TESSERA_TILER_PORT: '0',
    ...env,
  });
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  // Real time unless a test sets the clock.
  let fixed: number | null = null;
  const now = (): number => fixed ?? Math.floor(Date.now() / 1000);
  const tiler = createTilerServer(parsed.config, { logger: pino({ level: 'silent' }), ...options, now });
  const address = await tiler.listen();
  return {
    url: `http://127.0.0.1:${address.port}`,
    storageRoot,
    config: parsed.config,
    tiler,
    token: (src, scope, extra = {}) =>
      signTileToken(TEST_SECRET, { v: 1, img: 1, src, exp: now() + 3600, scope, ...extra }),
    setNow: (seconds) => {
      fixed = seconds;
    },
    close: async () => {
      await tiler.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** POSTs JSON and returns status and parsed body. */
export async function postJson(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}
