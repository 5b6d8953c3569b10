// The security headers in headless Chromium: the browser app (sign-in, image sets, the workspace with a
// real slide drawn by OpenSeadragon and the live document over its WebSocket) and the API docs page
// (swagger-ui) run under their Content-Security-Policy without a single violation.
import type { BrowserContext } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../support/server.js';
import { useBrowser } from './support/browser.js';
import { openWorkspace, setUpWorkspace } from './support/workspace.js';

const server = useTestServer({ client: true, tiler: true });
const browser = useBrowser();
const fixture = setUpWorkspace(server);

interface CspWindow {
  cspViolations?: string[];
}

/** Records every CSP violation the context's pages report, as events and as console messages. */
async function watchViolations(context: BrowserContext): Promise<() => Promise<string[]>> {
  const logged: string[] = [];
  context.on('console', (message) => {
    if (/Content.Security.Policy/i.test(message.text())) logged.push(message.text());
  });
  await context.addInitScript(() => {
    const w = window as CspWindow;
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      w.cspViolations?.push(
        `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`,
      );
    });
  });
  return async () => {
    const reported = await Promise.all(
      context.pages().map((page) => page.evaluate(() => (window as CspWindow).cspViolations ?? [])),
    );
    return [...logged, ...reported.flat()];
  };
}

describe('security headers', () => {
  it('send the CSP and the other headers on the app, the API and the docs', async () => {
    for (const path of [
      '/',
      '/login',
      '/api/v1/users/users/',
      '/api/v1/docs/',
      '/healthz',
      '/no-such-file.js',
    ]) {
      const res = await fetch(`${server.baseUrl}${path}`, { headers: { accept: 'text/html' } });
      expect(res.headers.get('content-security-policy'), path).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
    }
    const app = await fetch(`${server.baseUrl}/`);
    expect(app.headers.get('content-security-policy')).toMatch(/script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    const api = await fetch(`${server.baseUrl}/api/v1/users/users/`);
    expect(api.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  });

  it('let the browser app sign in and draw a slide in the workspace with no CSP violation', async () => {
    const { member, image } = fixture();
    const context = await browser.newContext();
    const violations = await watchViolations(context);
    const signIn = await context.newPage();
    await signIn.goto(`${server.baseUrl}/login`);
    await signIn.getByLabel('User name').waitFor();
    const tile = context.waitForEvent('response', {
      predicate: (r) => r.url().includes('/tile_files/') && r.status() === 200,
    });
    await openWorkspace(context, server, member, image);
    await tile;
    expect(await violations()).toEqual([]);
  });

  it('let the API docs page render its operations with no CSP violation', async () => {
    const context = await browser.newContext();
    const violations = await watchViolations(context);
    const page = await context.newPage();
    await page.goto(`${server.baseUrl}/api/v1/docs/`);
    await page.locator('.swagger-ui .opblock').first().waitFor();
    expect(await page.locator('.swagger-ui .opblock').count()).toBeGreaterThan(10);
    expect(await violations()).toEqual([]);
  });
});
