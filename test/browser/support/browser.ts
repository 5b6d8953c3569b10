import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/** Debian's Chromium (apt package `chromium`, installed by .ci/run). */
export const CHROMIUM_PATH = process.env.TESSERA_CHROMIUM ?? '/usr/bin/chromium';

/** Screenshots and traces of browser tests: test artifacts, never committed. */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));

/**
 * The flags this machine needs (../shared/DESIGN.md): without the background-networking flags Chromium
 * keeps trying to reach Google's hosts, which the closed network refuses many times a second.
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export interface BrowserHandle {
  readonly browser: Browser;
  /** A fresh context (its own cookies and IndexedDB) for one simulated user. */
  newContext(): Promise<BrowserContext>;
}

/** One headless Chromium for the test file, closed after it. */
export function useBrowser(): BrowserHandle {
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  const ready = (): Browser => {
    if (browser === undefined) throw new Error('useBrowser(): the browser exists only inside tests');
    return browser;
  };
  return {
    get browser() {
      return ready();
    },
    async newContext() {
      const context = await ready().newContext({ viewport: { width: 1400, height: 900 } });
      contexts.push(context);
      return context;
    },
  };
}

/** Saves a full-page screenshot under test-artifacts/ (for the user guide and for failed runs). */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
