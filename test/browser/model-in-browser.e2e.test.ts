// A team's ONNX model run in the browser (onnxruntime-web, WebAssembly served by the client build) on
// the field of view: proposals are listed, nothing is stored until one is accepted, which is then an
// annotation marked generated with its score and the user's agreeing verdict.
import { describe, expect, it } from 'vitest';
import { VectorType, type Page, type RestAnnotation, type RestVerification } from '@tessera/shared';
import { useBrowser } from './support/browser.js';
import { flyTo, teamSlide } from './support/team-slide.js';
import { openWorkspace } from './support/workspace.js';
import { darkCellBoxer } from '../support/onnx-model.js';
import { useTestServer } from '../support/server.js';
import { uploadModel } from '../support/upload.js';
import { lacking } from '../support/prerequisites.js';

const server = useTestServer({ client: true, tiler: true });
const browser = useBrowser();

describe.skipIf(lacking('chromium', 'openslide'))('an ONNX model in the browser', () => {
  it('proposes on the view and stores only the proposal accepted', async () => {
    const { member, team, image, types, api } = await teamSlide(server, [
      { name: 'Dark cell', vector_type: VectorType.box },
    ]);
    const uploaded = await uploadModel(server.baseUrl, member, {
      team,
      name: 'Dark cells',
      spec: { inputWidth: 64, inputHeight: 64, decoding: { kind: 'boxes' } },
      bytes: darkCellBoxer(64, 8),
    });
    expect(uploaded.status).toBe(201);

    const page = await openWorkspace(await browser.newContext(), server, member, image);
    await flyTo(page, { minX: 800, minY: 1200, maxX: 1200, maxY: 1600 });
    await page.getByRole('button', { name: 'Run on the view' }).click();
    await expect
      .poll(() => page.getByTestId('model-note').textContent(), { timeout: 30_000 })
      .toMatch(/proposal\(s\) in view/);
    const shown = await page.getByTestId('model-proposal').count();
    expect(shown).toBeGreaterThan(0);
    const listed = () => api.get<Page<RestAnnotation>>(`/annotations/annotations/?image=${image}`);
    expect((await listed()).body.count).toBe(0);

    await page.getByTestId('model-proposal').first().getByRole('button', { name: 'Accept' }).click();
    await expect.poll(async () => (await listed()).body.count).toBe(1);
    await expect.poll(() => page.getByTestId('model-proposal').count()).toBe(shown - 1);
    const stored = (await listed()).body.results[0];
    expect(stored).toMatchObject({ annotation_type: types[0], generated: true });
    expect(stored?.score).toBeGreaterThanOrEqual(0.5);
    const verdicts = await api.get<Page<RestVerification>>(
      `/annotations/verifications/?annotation=${stored?.id}`,
    );
    expect(verdicts.body.results.map((v) => [v.user, v.verified])).toEqual([[member.id, true]]);
    await page.close();
  });
});
