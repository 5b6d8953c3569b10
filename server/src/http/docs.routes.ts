import { readFile } from 'node:fs/promises';
import path from 'node:path';
import Router from '@koa/router';
import { getAbsoluteFSPath } from 'swagger-ui-dist';

const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js']);

const page = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tessera API</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/api/v1/docs/swagger-ui.css"></head>
<body><div id="docs"></div>
<script src="/api/v1/docs/swagger-ui-bundle.js"></script>
<script src="/api/v1/docs/init.js"></script></body></html>`;

// Kept in its own file-like route so the page needs no inline script (a strict CSP stays possible).
// No validator badge: it would load an image from validator.swagger.io, which the CSP refuses.
const init =
  "window.ui = SwaggerUIBundle({ url: '/api/v1/openapi', dom_id: '#docs', deepLinking: true, validatorUrl: null });";

/** The OpenAPI document at /api/v1/openapi and a browsable page at /api/v1/docs/. */
export function docsRouter(openApi: () => unknown): Router {
  const router = new Router();
  const assetsDir = getAbsoluteFSPath();
  router.get('/api/v1/openapi', (ctx) => {
    ctx.body = openApi();
  });
  router.get('/api/v1/docs/', (ctx) => {
    ctx.type = 'html';
    ctx.body = page;
  });
  router.get('/api/v1/docs/init.js', (ctx) => {
    ctx.type = 'application/javascript';
    ctx.body = init;
  });
  router.get('/api/v1/docs/:asset', async (ctx) => {
    const asset = ctx.params.asset ?? '';
    if (!ASSETS.has(asset)) return;
    ctx.type = path.extname(asset);
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = await readFile(path.join(assetsDir, asset));
  });
  return router;
}
