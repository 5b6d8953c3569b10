import type { Viewer } from '../auth/viewer.js';
import type { Logger } from '../logging/logger.js';
import type { TeamsService } from '../resources/teams/teams.service.js';
import { CATALOGUE, DEMO_DATASETS } from './catalogue.js';
import type { DatasetsService } from './datasets.service.js';

/** The team the first run fills with data sets to explore. */
export const DEMO_TEAM = 'Demo';

export interface DemoResult {
  readonly team: number;
  readonly imageSets: readonly { readonly dataset: string; readonly id: number }[];
  /** Data sets left out because this machine lacks their files or tools, with the reason. */
  readonly skipped: readonly { readonly dataset: string; readonly reason: string }[];
}

/**
 * Creates the demo team, administered by the first superuser, and sets the demo data sets up in it
 * (seed 1) through the same services as the API. `signal` (the server's shutdown) cancels it: no
 * further data set is begun, and the one in hand stops and is removed.
 */
export async function createDemo(
  services: { datasets: DatasetsService; teams: TeamsService },
  admin: { id: number; username: string },
  logger: Logger,
  signal?: AbortSignal,
): Promise<DemoResult> {
  const viewer: Viewer = {
    id: admin.id,
    username: admin.username,
    isSuperuser: true,
    isStaff: true,
    via: 'session',
  };
  const team = await services.teams.create(viewer, { name: DEMO_TEAM });
  const imageSets: { dataset: string; id: number }[] = [];
  const skipped: { dataset: string; reason: string }[] = [];
  for (const name of DEMO_DATASETS) {
    signal?.throwIfAborted();
    const reason = CATALOGUE.some((d) => d.name === name)
      ? await services.datasets.unavailableReason(name)
      : 'not in the catalogue';
    if (reason !== null) {
      skipped.push({ dataset: name, reason });
      // Info, not a warning: a missing file or package was already named (start's line, the catalogue).
      logger.info({ dataset: name, reason }, 'demo data set left out');
      continue;
    }
    const instance = await services.datasets.instantiate(viewer, name, { team, seed: 1 }, signal);
    imageSets.push({ dataset: name, id: instance.image_set });
  }
  return { team, imageSets, skipped };
}

/**
 * Fills the demo team on the first start, in the background, and tells the person at the terminal
 * when it is there and what to try. A failure is logged and leaves the server running.
 */
export async function startDemo(
  services: { datasets: DatasetsService; teams: TeamsService },
  admin: { id: number; username: string },
  logger: Logger,
  announce: (message: string) => void,
  signal: AbortSignal,
): Promise<void> {
  const started = performance.now();
  announce(`Setting up the demo team "${DEMO_TEAM}" (TESSERA_DEMO_DATA=false skips this)...`);
  try {
    const demo = await createDemo(services, admin, logger, signal);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    announce(
      `Demo data ready in ${seconds} s: team "${DEMO_TEAM}" with ${demo.imageSets.length} image sets ` +
        '(their images show "processing" until the tiler has opened them). Try: open the synthetic ' +
        'cytology slide and zoom in; show its cell annotations by class; draw a box around a cell and label it.',
    );
  } catch (error) {
    if (signal.aborted) logger.info('demo data set-up cancelled by the shutdown');
    else logger.error({ err: error }, 'the demo data could not be set up');
  }
}
