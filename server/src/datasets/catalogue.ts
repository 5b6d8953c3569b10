import { cellSeries } from './cell-series/dataset.js';
import { cellVideo } from './cell-video/dataset.js';
import { cmuSlide } from './cmu-slide/dataset.js';
import { cytologyFields } from './cytology-fields/dataset.js';
import { cytologySlide } from './cytology-slide/dataset.js';
import type { DatasetDefinition } from './dataset.js';
import { fluorescenceSlides } from './fluorescence-slides/dataset.js';

/** Every predefined data set, in the order the catalogue lists them. A new folder adds its line here. */
export const CATALOGUE: readonly DatasetDefinition[] = [
  cytologySlide,
  cytologyFields,
  cellSeries,
  cellVideo,
  cmuSlide,
  fluorescenceSlides,
];

/** What the first run puts into the demo team (the bundled slides only where they are present). */
export const DEMO_DATASETS: readonly string[] = [
  'cytology-slide',
  'cytology-fields',
  'cell-series',
  'cell-video',
  'cmu-slide',
];

/** The data set of that name, if the catalogue has one. */
export function findDataset(name: string): DatasetDefinition | undefined {
  return CATALOGUE.find((d) => d.name === name);
}
