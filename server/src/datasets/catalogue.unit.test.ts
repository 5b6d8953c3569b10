import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { CATALOGUE, DEMO_DATASETS, findDataset } from './catalogue.js';
import { missingSlides } from './bundled-slides.js';

describe('the data set catalogue', () => {
  it('names each data set after its folder, once, with a unique label scheme', () => {
    const names = CATALOGUE.map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    for (const d of CATALOGUE) {
      expect(existsSync(new URL(`./${d.name}/dataset.ts`, import.meta.url))).toBe(true);
      expect(d.name).toMatch(/^[a-z0-9-]+$/);
      const labels = d.labels.map((l) => l.name);
      expect(new Set(labels).size).toBe(labels.length);
      expect(labels.length).toBeGreaterThan(0);
    }
    for (const name of DEMO_DATASETS) expect(findDataset(name)?.name).toBe(name);
    expect(findDataset('nope')).toBeUndefined();
  });

  it('says which bundled slides are missing, and nothing when they are there', async () => {
    const reason = await missingSlides(['CMU-1-Small-Region.svs', 'no-such-slide.svs']);
    expect(reason).toContain('no-such-slide.svs');
    expect(reason).not.toContain('CMU-1-Small-Region.svs,');
    expect(await missingSlides(['CMU-1-Small-Region.svs'])).toBeNull();
  });
});

describe('TESSERA_DEMO_DATA', () => {
  it('defaults to a demo with the embedded database only, and can be set either way', () => {
    expect(loadConfig({}).demoData).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://x@localhost/db' }).demoData).toBe(false);
    expect(loadConfig({ TESSERA_DEMO_DATA: 'false' }).demoData).toBe(false);
    expect(
      loadConfig({ DATABASE_URL: 'postgres://x@localhost/db', TESSERA_DEMO_DATA: 'true' }).demoData,
    ).toBe(true);
    expect(() => loadConfig({ TESSERA_DEMO_DATA: 'maybe' })).toThrow(/TESSERA_DEMO_DATA/);
  });
});
