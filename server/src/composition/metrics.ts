import type { Services } from './services.js';
import type { Database } from '../db/database.js';
import { JobsRepo } from '../ingest/jobs.repo.js';
import type { PixelAccess } from '../resources/images/pixel-access.js';
import type { TileCache } from '../resources/images/tile-cache.js';
import { Metrics, type ReadFigures } from '../metrics/metrics.js';
import type { TilerHealth } from '../ingest/tiler.client.js';

/**
 * The process's metrics, wired to the figures' owners: live documents and their update log, the
 * projection, the image job queue, the pixel path's grant and tile caches, and the tiler (its /healthz, read at
 * each scrape: one target and one guard for both processes).
 */
export function createMetrics(
  db: Database,
  services: Services,
  pixels: { readonly grants: PixelAccess; readonly tiles: TileCache },
): Metrics {
  const metrics = new Metrics();
  const live = services.liveDocuments;
  metrics.gauge('tessera_collab_connections', 'Open live-document connections', () => ({
    '': live.attached?.hocuspocus.getConnectionsCount() ?? 0,
  }));
  metrics.gauge('tessera_collab_documents', 'Live documents loaded in memory', () => ({
    '': live.attached?.hocuspocus.getDocumentsCount() ?? 0,
  }));
  metrics.gauge('tessera_collab_pending_updates', 'Live-document updates waiting for their commit', () => ({
    '': live.attached?.log.pending ?? 0,
  }));
  live.onAttach((collab) => {
    collab.log.onCommitted((waits) => {
      for (const wait of waits) metrics.updateCommitWait.observe(wait);
    });
  });
  metrics.counter(
    'tessera_collab_projection_errors_total',
    'Projection failures: annotations refused or repaired, flushes that failed whole',
    () => {
      const damage = live.attached?.projection.damage;
      return {
        quarantined: damage?.quarantined ?? 0,
        repaired: damage?.repaired ?? 0,
        failed_flush: damage?.failedFlushes ?? 0,
      };
    },
    'kind',
  );
  const jobs = new JobsRepo(db);
  metrics.gauge('tessera_image_jobs', 'Image jobs by state', () => jobs.countByState(), 'state');
  metrics.counter(
    'tessera_pixel_access_cache_lookups_total',
    "Lookups of a viewer's pixel grant on the tile path: hit (from memory) or miss (asked of the database)",
    () => ({ hit: pixels.grants.lookups.hits, miss: pixels.grants.lookups.misses }),
    'result',
  );
  metrics.counter(
    'tessera_tile_cache_lookups_total',
    "Lookups in the server's memory of relayed tiles: hit (no request to the tiler) or miss",
    () => ({ hit: pixels.tiles.lookups.hits, miss: pixels.tiles.lookups.misses }),
    'result',
  );
  observeTiler(metrics, services);
  return metrics;
}

/** The tiler's figures, asked of its /healthz once per scrape (at most one call for the three). */
function observeTiler(metrics: Metrics, services: Services): void {
  let asked: ReturnType<Services['tiler']['health']> | undefined;
  const health = () => {
    asked ??= services.tiler.health().finally(() => {
      asked = undefined;
    });
    return asked;
  };
  metrics.gauge('tessera_tiler_up', 'Whether the tiler answered its /healthz', async () => ({
    '': (await health()) === undefined ? 0 : 1,
  }));
  // Nothing while the tiler does not answer: a missing series, not a false zero.
  const read =
    (pick: (figures: TilerHealth) => Record<string, number>): ReadFigures =>
    async () => {
      const figures = await health();
      return figures === undefined ? {} : pick(figures);
    };
  metrics.gauge(
    'tessera_tiler_open_sources',
    'Image sources the tiler holds open',
    read((figures) => ({ '': figures.openSources })),
  );
  metrics.gauge(
    'tessera_tiler_cached_bytes',
    "Bytes in the tiler's encoded-tile cache",
    read((figures) => ({ '': figures.cachedBytes })),
  );
  metrics.counter(
    'tessera_tiler_tile_cache_lookups_total',
    "Lookups in the tiler's encoded-tile cache: hit or miss (rendered)",
    read((figures) => ({ hit: figures.cache.hits, miss: figures.cache.misses })),
    'result',
  );
}
