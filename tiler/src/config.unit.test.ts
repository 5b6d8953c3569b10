import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTilerConfig } from './config.js';

const SECRET = 'x'.repeat(32);

describe('tiler configuration', () => {
  it('applies the defaults', () => {
    const result = parseTilerConfig({ TESSERA_TILER_SECRET: SECRET });
    expect(result).toEqual({
      ok: true,
      config: {
        port: 8001,
        host: '127.0.0.1',
        dataDir: resolve('data'),
        storageRoot: resolve('data', 'images'),
        secret: SECRET,
        cacheBytes: 256 * 1024 * 1024,
        prefetchTiles: 0,
        maxImagePixels: 1e10,
        logLevel: 'info',
        openslideLibrary: 'libopenslide.so.0',
        ffmpegPath: 'ffmpeg',
      },
    });
    expect(result.ok && Object.isFrozen(result.config)).toBe(true);
  });

  it('reads every variable, treating empty ones as unset', () => {
    const result = parseTilerConfig({
      TESSERA_TILER_SECRET: SECRET,
      TESSERA_TILER_PORT: '9000',
      TESSERA_TILER_HOST: '0.0.0.0',
      TESSERA_DATA_DIR: '/srv/tessera',
      TESSERA_TILER_CACHE_MB: '64',
      TESSERA_TILER_PREFETCH: '64',
      TESSERA_MAX_IMAGE_PIXELS: '',
      TESSERA_LOG_LEVEL: 'warn',
      TESSERA_OPENSLIDE_LIBRARY: '/opt/openslide/lib/libopenslide.so.1',
      TESSERA_FFMPEG_PATH: '/opt/ffmpeg/bin/ffmpeg',
    });
    expect(result).toMatchObject({
      ok: true,
      config: {
        port: 9000,
        host: '0.0.0.0',
        storageRoot: '/srv/tessera/images',
        cacheBytes: 64 * 1024 * 1024,
        prefetchTiles: 64,
        maxImagePixels: 1e10,
        logLevel: 'warn',
        openslideLibrary: '/opt/openslide/lib/libopenslide.so.1',
        ffmpegPath: '/opt/ffmpeg/bin/ffmpeg',
      },
    });
  });

  it('lists every problem at once', () => {
    const result = parseTilerConfig({
      TESSERA_TILER_PORT: '70000',
      TESSERA_TILER_CACHE_MB: 'lots',
      TESSERA_MAX_IMAGE_PIXELS: '-1',
      TESSERA_LOG_LEVEL: 'chatty',
    });
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toHaveLength(5);
    for (const name of [
      'TESSERA_TILER_SECRET',
      'TESSERA_TILER_PORT',
      'TESSERA_TILER_CACHE_MB',
      'TESSERA_MAX_IMAGE_PIXELS',
      'TESSERA_LOG_LEVEL',
    ]) {
      expect(
        problems.some((p) => p.startsWith(`${name}:`)),
        name,
      ).toBe(true);
    }
    expect(problems.find((p) => p.startsWith('TESSERA_TILER_SECRET'))).toMatch(/required/);
  });

  it('wants a secret of at least 32 characters', () => {
    expect(parseTilerConfig({ TESSERA_TILER_SECRET: 'short' })).toEqual({
      ok: false,
      problems: ['TESSERA_TILER_SECRET: must be at least 32 characters'],
    });
  });
});
