import path from 'node:path';
import { z } from 'zod';

/** Environment variables Tessera reads; the only place that touches process.env. */
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  TESSERA_DATA_DIR: z.string().min(1).default('./data'),
  TESSERA_ADMIN_USERNAME: z.string().min(1).max(150).optional(),
  TESSERA_ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  TESSERA_EMBEDDED_DB_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  TESSERA_TILER_PORT: z.coerce.number().int().min(0).max(65535).default(8001),
  TESSERA_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Unset: readable lines on a terminal, JSON otherwise.
  TESSERA_LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
  TESSERA_TRUST_PROXY: z.stringbool().default(false),
  TESSERA_SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .default(24 * 14),
  TESSERA_SECURE_COOKIES: z.stringbool().default(false),
  TESSERA_MAX_PAGE_SIZE: z.coerce.number().int().min(1).default(10_000),
  TESSERA_TILER_URL: z.url({ protocol: /^https?$/ }).optional(),
  TESSERA_TILER_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  // The server's own memory of tiles it relayed (0: none, every tile goes to the tiler).
  TESSERA_TILE_CACHE_MB: z.coerce.number().int().min(0).max(1_048_576).default(128),
  TESSERA_MAX_UPLOAD_MB: z.coerce.number().positive().default(20_000),
  TESSERA_JOB_POLL_MS: z.coerce.number().int().min(50).default(1000),
  // Plugins: a folder of plugin folders scanned at start; in-process plugin job workers (0: only
  // `tessera worker` processes run jobs); seconds without a heartbeat after which a job goes back.
  TESSERA_PLUGINS_DIR: z.string().min(1).optional(),
  TESSERA_PLUGIN_WORKERS: z.coerce.number().int().min(0).max(64).default(1),
  TESSERA_PLUGIN_JOB_STALE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(30),
  // Dataset versions: automatic versions of changed image sets every N minutes (0: off), newest K kept.
  TESSERA_SNAPSHOT_INTERVAL_MINUTES: z.coerce.number().min(0).max(525_600).default(60),
  TESSERA_SNAPSHOT_KEEP: z.coerce.number().int().min(1).max(100_000).default(48),
  // `start` on an empty database also makes a demo team with data sets; by default only with the
  // embedded database (a newcomer's `npm start`), not on a deployment's own PostgreSQL.
  TESSERA_DEMO_DATA: z.stringbool().optional(),
  // For the command-line client (`tessera upload`): which server, and a personal access token.
  TESSERA_URL: z.url({ protocol: /^https?$/ }).optional(),
  TESSERA_TOKEN: z.string().startsWith('pat_').optional(),
  // Optional system packages for the tiler `start` runs: another OpenSlide library file or ffmpeg
  // program; a path that does not exist turns scanner slides or videos off, as on a bare machine.
  TESSERA_OPENSLIDE_LIBRARY: z.string().min(1).optional(),
  TESSERA_FFMPEG_PATH: z.string().min(1).optional(),
  // A bearer token Prometheus presents at /metrics (superusers need none); unset: superusers only.
  TESSERA_METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  TESSERA_REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
});

export interface Config {
  readonly port: number;
  readonly host: string;
  /** External PostgreSQL; undefined means the embedded one under dataDir. */
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly admin: { readonly username: string | undefined; readonly password: string | undefined };
  readonly embeddedDbPort: number;
  readonly tilerPort: number;
  readonly logLevel: z.infer<typeof envSchema>['TESSERA_LOG_LEVEL'];
  /** 'json' or 'pretty'; undefined chooses by whether stdout is a terminal. */
  readonly logFormat: 'json' | 'pretty' | undefined;
  readonly trustProxy: boolean;
  readonly sessionTtlHours: number;
  readonly secureCookies: boolean;
  readonly maxPageSize: number;
  /** Where the server reaches the tiler; defaults to the tiler port on this machine. */
  readonly tilerUrl: string;
  /** True when TESSERA_TILER_URL names a tiler run elsewhere; otherwise `start` runs one itself. */
  readonly tilerExternal: boolean;
  /** Shared with the tiler to sign tile tokens; `npm start` generates one per data directory. */
  readonly tilerSecret: string | undefined;
  /** How many bytes of relayed tiles the server keeps in memory (0: none). */
  readonly tileCacheBytes: number;
  readonly maxUploadBytes: number;
  readonly jobPollMs: number;
  /** Plugin folders scanned at start (TESSERA_PLUGINS_DIR), if any. */
  readonly pluginsDir: string | undefined;
  /** Plugin job runners in the server process (0: only `tessera worker` processes run jobs). */
  readonly pluginWorkers: number;
  /** A running plugin job without a heartbeat for this long goes back to the queue. */
  readonly pluginJobStaleSeconds: number;
  /** Automatic versions of changed image sets: how often (0: never) and how many are kept per set. */
  readonly snapshots: { readonly intervalMs: number; readonly keep: number };
  /** Whether the first start fills a demo team (TESSERA_DEMO_DATA; default: with the embedded database). */
  readonly demoData: boolean;
  /** The server the command-line client talks to (default: this machine's PORT). */
  readonly clientUrl: string;
  readonly clientToken: string | undefined;
  /** Handed to the tiler `start` runs (unset: the tiler's defaults, libopenslide.so.0 and ffmpeg). */
  readonly systemLibraries: {
    readonly openslideLibrary: string | undefined;
    readonly ffmpegPath: string | undefined;
  };
  /** The bearer token that may read /metrics besides superusers (also handed to the tiler `start` runs). */
  readonly metricsToken: string | undefined;
  /** Redis through which several servers share live documents; unset: one server. */
  readonly redisUrl: string | undefined;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once, listing every problem at the same time. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if ((e.TESSERA_ADMIN_USERNAME === undefined) !== (e.TESSERA_ADMIN_PASSWORD === undefined)) {
    throw new ConfigError(['TESSERA_ADMIN_USERNAME and TESSERA_ADMIN_PASSWORD must be set together']);
  }
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.TESSERA_DATA_DIR),
    admin: Object.freeze({ username: e.TESSERA_ADMIN_USERNAME, password: e.TESSERA_ADMIN_PASSWORD }),
    embeddedDbPort: e.TESSERA_EMBEDDED_DB_PORT,
    tilerPort: e.TESSERA_TILER_PORT,
    logLevel: e.TESSERA_LOG_LEVEL,
    logFormat: e.TESSERA_LOG_FORMAT,
    trustProxy: e.TESSERA_TRUST_PROXY,
    sessionTtlHours: e.TESSERA_SESSION_TTL_HOURS,
    secureCookies: e.TESSERA_SECURE_COOKIES,
    maxPageSize: e.TESSERA_MAX_PAGE_SIZE,
    tilerUrl: e.TESSERA_TILER_URL ?? `http://127.0.0.1:${e.TESSERA_TILER_PORT}`,
    tilerExternal: e.TESSERA_TILER_URL !== undefined,
    tilerSecret: e.TESSERA_TILER_SECRET,
    tileCacheBytes: e.TESSERA_TILE_CACHE_MB * 1024 * 1024,
    maxUploadBytes: Math.round(e.TESSERA_MAX_UPLOAD_MB * 1024 * 1024),
    jobPollMs: e.TESSERA_JOB_POLL_MS,
    pluginsDir: e.TESSERA_PLUGINS_DIR,
    pluginWorkers: e.TESSERA_PLUGIN_WORKERS,
    pluginJobStaleSeconds: e.TESSERA_PLUGIN_JOB_STALE_SECONDS,
    snapshots: Object.freeze({
      intervalMs: Math.round(e.TESSERA_SNAPSHOT_INTERVAL_MINUTES * 60_000),
      keep: e.TESSERA_SNAPSHOT_KEEP,
    }),
    demoData: e.TESSERA_DEMO_DATA ?? e.DATABASE_URL === undefined,
    clientUrl: e.TESSERA_URL ?? `http://127.0.0.1:${e.PORT}`,
    clientToken: e.TESSERA_TOKEN,
    systemLibraries: Object.freeze({
      openslideLibrary: e.TESSERA_OPENSLIDE_LIBRARY,
      ffmpegPath: e.TESSERA_FFMPEG_PATH,
    }),
    metricsToken: e.TESSERA_METRICS_TOKEN,
    redisUrl: e.TESSERA_REDIS_URL,
  });
}
