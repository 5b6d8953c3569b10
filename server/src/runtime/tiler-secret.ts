import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/config.js';

/**
 * The secret that signs tile tokens: TESSERA_TILER_SECRET, or one generated once and kept (mode 0600)
 * in the data directory so restarts keep issued tile URLs valid.
 */
export async function resolveTilerSecret(config: Pick<Config, 'tilerSecret' | 'dataDir'>): Promise<string> {
  if (config.tilerSecret !== undefined) return config.tilerSecret;
  const file = path.join(config.dataDir, 'tiler-secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
  }
  await mkdir(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  try {
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return secret;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as { code?: string }).code === 'EEXIST') return (await readFile(file, 'utf8')).trim();
    throw error;
  }
}
