import { createHash } from 'node:crypto';
import type Koa from 'koa';

/** The directives every policy shares: nothing framed, no plugins, no foreign base or form targets. */
const COMMON = ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "form-action 'self'"];

/**
 * The one <style> element OpenSeadragon adds to the page (its touch-screen focus rule), verbatim: the
 * policy allows exactly this text by its hash. A new OpenSeadragon that changes it shows up as a
 * violation in test/browser/security-headers.test.ts.
 */
const OPENSEADRAGON_STYLE =
  '@media (hover: none) {    .openseadragon-canvas:focus {        outline: none !important;    }}';
const OPENSEADRAGON_STYLE_HASH = `'sha256-${createHash('sha256').update(OPENSEADRAGON_STYLE).digest('base64')}'`;

/**
 * The browser app (Vite build, React, OpenSeadragon). Scripts and styles only from this origin, never
 * inline (style attributes set from script, as React and OpenSeadragon do, are not inline styles).
 * Images and workers allow blob: and data:, which OpenSeadragon uses for decoded tiles and its
 * converter worker. Media (an annotation's audio and video files) plays from this origin, or from a
 * blob: of a file being attached. connect-src 'self' covers the REST API and the live documents' WebSocket.
 * 'wasm-unsafe-eval' lets the page compile WebAssembly (the in-browser model runtime, served from this
 * origin); it allows no JavaScript eval.
 */
const APP_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  `style-src 'self' ${OPENSEADRAGON_STYLE_HASH}`,
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "manifest-src 'self'",
  ...COMMON,
].join('; ');

/** The API docs page (swagger-ui): its own scripts and styles, data: icons, fetches to us. */
const DOCS_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  ...COMMON,
].join('; ');

/** API answers, tiles and files: data, never a document to run; nothing may load from them. */
const DATA_POLICY = ["default-src 'none'", "frame-ancestors 'none'", 'sandbox'].join('; ');

const API_DOCS = /^\/api\/v1\/docs(?:\/|$)/;
const DATA_PATHS = /^\/(?:api(?:\/|$)|images\/image\/|healthz$|readyz$)/;

/** The Content-Security-Policy for a path: the docs page's, data's, or the browser app's. */
export function policyFor(path: string): string {
  if (API_DOCS.test(path)) return DOCS_POLICY;
  if (DATA_PATHS.test(path)) return DATA_POLICY;
  return APP_POLICY;
}

/**
 * Security headers on every answer, errors included (set before the rest runs): a CSP, framing
 * refused twice (frame-ancestors, X-Frame-Options for older browsers), no MIME sniffing (an uploaded
 * file is never run as a script or page), and no full URLs leaked to other sites in Referer.
 */
export function securityHeadersMiddleware(): Koa.Middleware {
  return async (ctx, next) => {
    ctx.set('Content-Security-Policy', policyFor(ctx.path));
    ctx.set('X-Frame-Options', 'DENY');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'strict-origin-when-cross-origin');
    ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
    await next();
  };
}
