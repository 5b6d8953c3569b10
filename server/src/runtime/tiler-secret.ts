import type { Config } from '../config/config.js';
import { keptSecret } from './kept-secret.js';

/**
 * The secret that signs tile tokens: TESSERA_TILER_SECRET, or one generated once and kept (mode 0600)
 * in the data directory so restarts keep issued tile URLs valid.
 */
export async function resolveTilerSecret(config: Pick<Config, 'tilerSecret' | 'dataDir'>): Promise<string> {
  return config.tilerSecret ?? (await keptSecret(config.dataDir, 'tiler-secret'));
}
