// Media files in the workspace, in headless Chromium against the real server: an editor attaches a
// sound to the selected annotation and the selection panel plays it (under the app's CSP).
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page as ApiPage, RestAnnotationMediaFile } from '@tessera/shared';
import { useBrowser } from './support/browser.js';
import { annotationsOnServer, click, drag, openWorkspace, setUpWorkspace } from './support/workspace.js';
import { ApiClient } from '../support/http.js';
import { useTestServer } from '../support/server.js';
import { lacking } from '../support/prerequisites.js';

const server = useTestServer({ client: true, tiler: true });
const browser = useBrowser();
const fx = setUpWorkspace(server);

/** A tenth of a second of 8-bit mono silence at 8 kHz as a WAV file: small, and playable. */
function silentWav(): Buffer {
  const samples = 800;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + samples, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(8000, 24); // sample rate
  header.writeUInt32LE(8000, 28); // bytes per second
  header.writeUInt16LE(1, 32); // block align
  header.writeUInt16LE(8, 34); // bits per sample
  header.write('data', 36);
  header.writeUInt32LE(samples, 40);
  return Buffer.concat([header, Buffer.alloc(samples, 128)]);
}

describe.skipIf(lacking('chromium', 'openslide'))('media files in the selection panel', () => {
  let page: Page;
  beforeAll(async () => {
    const context = await browser.newContext();
    page = await openWorkspace(context, server, fx().member, fx().image);
  });

  it('attaches a sound to the selected annotation and plays it', async () => {
    await page.keyboard.press('1');
    await drag(page, { x: 100, y: 100 }, { x: 300, y: 250 });
    await expect.poll(async () => (await annotationsOnServer(server, fx())).length).toBe(1);
    await page.keyboard.press('v');
    await click(page, { x: 200, y: 175 });
    await expect.poll(() => page.getByTestId('selection-count').textContent()).toBe('1 selected');
    const panel = page.getByTestId('media-files');
    await panel.getByLabel('Attach a file').setInputFiles({
      name: 'dictation.wav',
      mimeType: 'audio/wav',
      buffer: silentWav(),
    });
    await expect.poll(() => panel.getByTestId('media-file').count()).toBe(1);
    expect(await panel.getByTestId('media-file').textContent()).toContain('dictation.wav');
    // Loaded metadata proves the file is served to the browser and media-src lets it play.
    const audio = panel.locator('audio');
    await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.readyState)).toBeGreaterThan(0);
    expect(await audio.evaluate((a: HTMLAudioElement) => a.duration)).toBeCloseTo(0.1, 2);

    const [annotation] = await annotationsOnServer(server, fx());
    const listed = await new ApiClient(server.baseUrl, fx().member).get<ApiPage<RestAnnotationMediaFile>>(
      `/annotations/annotation_media_files/?annotation=${annotation?.id ?? 0}`,
    );
    expect(listed.body.results).toMatchObject([{ name: 'dictation.wav', media_file_type: 4 }]);
  });
});
