import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has EXACT-like defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/\/data$/);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', TESSERA_LOG_LEVEL: 'loud' });
      expect.unreachable('loadConfig accepted a broken environment');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/PORT/);
      expect(problems).toMatch(/DATABASE_URL/);
      expect(problems).toMatch(/TESSERA_LOG_LEVEL/);
    }
  });

  it('wants the admin name and password together', () => {
    expect(() => loadConfig({ TESSERA_ADMIN_USERNAME: 'root' })).toThrow(/must be set together/);
    expect(() => loadConfig({ TESSERA_ADMIN_USERNAME: 'root', TESSERA_ADMIN_PASSWORD: 'short' })).toThrow(
      /8/,
    );
  });

  it('takes a metrics token of at least 32 characters, none by default', () => {
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(loadConfig({ TESSERA_METRICS_TOKEN: 'm'.repeat(32) }).metricsToken).toBe('m'.repeat(32));
    expect(() => loadConfig({ TESSERA_METRICS_TOKEN: 'short' })).toThrow(/TESSERA_METRICS_TOKEN/);
  });

  it('shares documents through a redis:// or rediss:// URL when given, alone otherwise', () => {
    expect(loadConfig({}).redisUrl).toBeUndefined();
    expect(loadConfig({ TESSERA_REDIS_URL: 'redis://cache:6379' }).redisUrl).toBe('redis://cache:6379');
    expect(loadConfig({ TESSERA_REDIS_URL: 'rediss://cache:6380/0' }).redisUrl).toBe('rediss://cache:6380/0');
    expect(() => loadConfig({ TESSERA_REDIS_URL: 'http://cache:6379' })).toThrow(/TESSERA_REDIS_URL/);
    expect(() => loadConfig({ TESSERA_REDIS_URL: 'cache' })).toThrow(/TESSERA_REDIS_URL/);
  });
});
