import { VectorType } from '@tessera/shared';
import type { DatasetDefinition } from '../dataset.js';
import { bundledSlide, missingSlides } from '../bundled-slides.js';

const FILES = ['test3-DAPI-2-387.ndpi', 'test3-TRITC-2-560.ndpi'] as const;

/** Two real fluorescence channels of one Hamamatsu scan (CC BY 4.0: the attribution is shown). */
export const fluorescenceSlides: DatasetDefinition = {
  name: 'fluorescence-slides',
  title: 'Fluorescence channels (real Hamamatsu scans)',
  summary: 'Two real NDPI scans (DAPI and TRITC channels), 3968 x 4864 px at 40x, not annotated yet.',
  description:
    'Two channels of one fluorescence scan in the Hamamatsu NDPI format, seven pyramid levels each. ' +
    'A scheme for marking nuclei (circles) comes with it. Attribution, as the licence asks: ' +
    '© Manuel Stritt, CC BY 4.0 (originally from the Bio-Formats project).',
  source:
    'Booritas/slideio-tutorial (images/test3-DAPI-2-(387).ndpi and test3-TRITC 2 (560).ndpi), originally ' +
    'Bio-Formats; as shipped in server/assets/slides (see its SOURCES.md)',
  licence: 'CC BY 4.0, © Manuel Stritt (attribution required)',
  kind: 'bundled',
  imageCount: FILES.length,
  annotationCount: 0,
  labels: [{ name: 'Nucleus', vectorType: VectorType.circle, color: '#4C6EF5' }],
  needs: ['openslide'],
  unavailableReason: () => missingSlides(FILES),
  create: () =>
    Promise.resolve({
      images: FILES.map((file) => ({ file: bundledSlide(file), originalName: file })),
      annotations: [],
    }),
};
