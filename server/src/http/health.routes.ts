import Router from '@koa/router';
import type { Database } from '../db/database.js';

/** `/healthz`: the process answers. `/readyz`: it can also reach its database. */
export function healthRouter(db: Database, isShuttingDown: () => boolean): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    if (isShuttingDown()) {
      ctx.status = 503;
      ctx.body = { status: 'shutting down' };
      return;
    }
    try {
      await db.query('SELECT 1');
      ctx.body = { status: 'ready' };
    } catch (error) {
      ctx.status = 503;
      ctx.body = { status: 'database unreachable', detail: (error as Error).message };
    }
  });
  return router;
}
