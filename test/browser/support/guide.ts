import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { saveScreenshot } from './browser.js';

const GUIDE_IMAGES = fileURLToPath(new URL('../../../docs/images/', import.meta.url));
const WRITE_GUIDE = process.env.TESSERA_GUIDE_SCREENSHOTS === '1';

/**
 * A screenshot for failed runs (test-artifacts/, as `<prefix>-<name>`) and, with
 * TESSERA_GUIDE_SCREENSHOTS=1, for the user guide (docs/images/<name>.png): the window, `clip` of it,
 * or one element (a page's section).
 */
export async function guideScreenshot(
  target: Page | Locator,
  prefix: string,
  name: string,
  clip?: { x: number; y: number; width: number; height: number },
): Promise<void> {
  const page = 'page' in target ? target.page() : target;
  await saveScreenshot(page, `${prefix}-${name}`);
  if (!WRITE_GUIDE) return;
  mkdirSync(GUIDE_IMAGES, { recursive: true });
  const shot =
    'page' in target
      ? target.screenshot({ type: 'png' })
      : page.screenshot({ type: 'png', ...(clip ? { clip } : {}) });
  // A palette PNG: a slide's grain makes a true-colour window shot ~450 KB, too big to commit.
  await sharp(await shot)
    .png({ palette: true, quality: 30, effort: 10 })
    .toFile(path.join(GUIDE_IMAGES, `${name}.png`));
}
