import { readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../logging/logger.js';
import {
  pluginContributionShape,
  pluginManifest,
  type LoadedPlugin,
  type PluginContribution,
  type PluginHost,
  type PluginManifest,
} from './plugin-manifest.js';

/** The manifest file every plugin folder holds. */
export const MANIFEST_FILE = 'tessera-plugin.json';

/** A plugin folder that could not be loaded, and why. */
export interface PluginProblem {
  readonly folder: string;
  readonly reason: string;
}

/**
 * Loads every plugin folder below `dir`: validates its manifest, imports its main module and calls
 * its `activate(host)` with the one object a plugin gets (PluginHost: its manifest and a logger).
 * A folder that fails is reported and skipped; the others load.
 */
export async function loadPluginFolder(
  dir: string,
  logger: Logger,
): Promise<{ loaded: LoadedPlugin[]; problems: PluginProblem[] }> {
  const loaded: LoadedPlugin[] = [];
  const problems: PluginProblem[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const folder = path.join(dir, entry.name);
    try {
      loaded.push(await loadPlugin(folder, logger));
    } catch (error) {
      problems.push({ folder, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { loaded, problems };
}

/** Loads one plugin folder (see loadPluginFolder). */
export async function loadPlugin(folder: string, logger: Logger): Promise<LoadedPlugin> {
  const manifest = await readManifest(folder);
  const main = await inside(folder, manifest.main);
  if (manifest.panel !== undefined) await inside(folder, manifest.panel);
  const module = (await import(pathToFileURL(main).href)) as { default?: unknown };
  if (typeof module.default !== 'function')
    throw new Error(`${manifest.main} must export a default function activate(host)`);
  const log = logger.child({ plugin: manifest.name });
  const host: PluginHost = Object.freeze({
    manifest: Object.freeze({ ...manifest }),
    log: (message: string) => {
      log.info(message);
    },
  });
  const answer: unknown = await (module.default as (host: PluginHost) => unknown)(host);
  const checked = pluginContributionShape.safeParse(answer ?? {});
  if (!checked.success)
    throw new Error(
      `activate() answered what a plugin may not contribute: ${checked.error.issues[0]?.message ?? ''}`,
    );
  return { manifest, contribution: answer as PluginContribution, folder };
}

async function readManifest(folder: string): Promise<PluginManifest> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path.join(folder, MANIFEST_FILE), 'utf8'));
  } catch (error) {
    throw new Error(
      `${MANIFEST_FILE} is missing or not JSON (${error instanceof Error ? error.message : ''})`,
      { cause: error },
    );
  }
  const parsed = pluginManifest.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${MANIFEST_FILE}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  return parsed.data;
}

/** The real path of a file a manifest names, refused unless it lies inside the plugin's folder. */
export async function inside(folder: string, file: string): Promise<string> {
  const root = await realpath(folder);
  const resolved = await realpath(path.join(root, file)).catch(() => {
    throw new Error(`${file} does not exist in the plugin folder`);
  });
  if (!resolved.startsWith(root + path.sep)) throw new Error(`${file} lies outside the plugin folder`);
  return resolved;
}
