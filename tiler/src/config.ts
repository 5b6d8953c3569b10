// The tiler's configuration: read from the environment once, validated with zod, frozen. The only module
// that touches process.env; every problem is reported at once.
import { resolve } from 'node:path';
import { z } from 'zod';

/** Validated tiler settings. */
export interface TilerConfig {
  readonly port: number;
  readonly host: string;
  /** Absolute data directory (TESSERA_DATA_DIR). */
  readonly dataDir: string;
  /** Absolute storage root, `<data dir>/images`: every token path is relative to it. */
  readonly storageRoot: string;
  /** HMAC secret shared with the server for tile tokens. */
  readonly secret: string;
  /** Bytes of encoded tiles (and thumbnails, associated images) kept in memory. */
  readonly cacheBytes: number;
  /** Neighbouring tiles queued for rendering ahead of viewers, at most (0: no prefetching). */
  readonly prefetchTiles: number;
  /** Largest image accepted, width x height (for slides and for conversions). */
  readonly maxImagePixels: number;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** 'json' or 'pretty'; undefined chooses by whether stdout is a terminal. */
  readonly logFormat: 'json' | 'pretty' | undefined;
  /** The OpenSlide shared library to load (a name the loader searches for, or a path). */
  readonly openslideLibrary: string;
  /** The ffmpeg program (a name on PATH or a path); ffprobe is looked for beside it. */
  readonly ffmpegPath: string;
}

// Unset and empty variables both mean "use the default".
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema);

const envSchema = z.object({
  TESSERA_TILER_PORT: optional(z.coerce.number().int().min(0).max(65535).default(8001)),
  TESSERA_TILER_HOST: optional(z.string().default('127.0.0.1')),
  TESSERA_DATA_DIR: optional(z.string().default('./data')),
  TESSERA_TILER_SECRET: z
    .string({ error: 'is required (the secret shared with the server to sign tile tokens)' })
    .min(32, { error: 'must be at least 32 characters' }),
  TESSERA_TILER_CACHE_MB: optional(z.coerce.number().int().min(0).max(1_048_576).default(256)),
  // Off by default: on 2 busy shared cores it gained nothing measurable (docs/benchmarks.md, tiles).
  TESSERA_TILER_PREFETCH: optional(z.coerce.number().int().min(0).max(10_000).default(0)),
  TESSERA_MAX_IMAGE_PIXELS: optional(
    z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).default(1e10),
  ),
  TESSERA_LOG_LEVEL: optional(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  TESSERA_LOG_FORMAT: optional(z.enum(['json', 'pretty']).optional()),
  // Optional system packages: a path that does not exist turns the feature off, as on a bare machine.
  TESSERA_OPENSLIDE_LIBRARY: optional(z.string().default('libopenslide.so.0')),
  TESSERA_FFMPEG_PATH: optional(z.string().default('ffmpeg')),
});

/** The outcome of parsing: a config, or every problem found. */
export type ConfigResult =
  | { readonly ok: true; readonly config: TilerConfig }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Parses tiler settings from an environment-shaped record (pure; for tests and for loadTilerConfig). */
export function parseTilerConfig(env: Readonly<Record<string, string | undefined>>): ConfigResult {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    };
  }
  const e = parsed.data;
  const dataDir = resolve(e.TESSERA_DATA_DIR);
  return {
    ok: true,
    config: Object.freeze({
      port: e.TESSERA_TILER_PORT,
      host: e.TESSERA_TILER_HOST,
      dataDir,
      storageRoot: resolve(dataDir, 'images'),
      secret: e.TESSERA_TILER_SECRET,
      cacheBytes: e.TESSERA_TILER_CACHE_MB * 1024 * 1024,
      prefetchTiles: e.TESSERA_TILER_PREFETCH,
      maxImagePixels: e.TESSERA_MAX_IMAGE_PIXELS,
      logLevel: e.TESSERA_LOG_LEVEL,
      logFormat: e.TESSERA_LOG_FORMAT,
      openslideLibrary: e.TESSERA_OPENSLIDE_LIBRARY,
      ffmpegPath: e.TESSERA_FFMPEG_PATH,
    }),
  };
}

/** Parses the process environment. */
export function loadTilerConfig(): ConfigResult {
  return parseTilerConfig(process.env);
}
