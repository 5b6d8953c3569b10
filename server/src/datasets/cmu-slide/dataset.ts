import { VectorType } from '@tessera/shared';
import type { DatasetDefinition } from '../dataset.js';
import { bundledSlide, missingSlides } from '../bundled-slides.js';

const FILE = 'CMU-1-Small-Region.svs';

/** A real H&E scan (Aperio) from OpenSlide's public test data, with a label scheme to start from. */
export const cmuSlide: DatasetDefinition = {
  name: 'cmu-slide',
  title: 'CMU-1 small region (real H&E scan)',
  summary: 'A real Aperio SVS scan of H&E-stained tissue, 2220 x 2967 px at 0.5 µm/px, not annotated yet.',
  description:
    "A small region of Carnegie Mellon University's CMU-1 slide, the classic OpenSlide test scan: " +
    'real tissue at 20x in the Aperio SVS format, with its label and macro images. It comes without ' +
    'annotations and with a scheme for outlining tumour and stroma and boxing mitotic figures.',
  source:
    'OpenSlide test data (Aperio/CMU-1-Small-Region.svs, Carnegie Mellon University), as shipped in ' +
    'server/assets/slides (see its SOURCES.md)',
  licence: "CC0-1.0 (OpenSlide's test-data index marks the CMU Aperio slides public domain)",
  kind: 'bundled',
  imageCount: 1,
  annotationCount: 0,
  labels: [
    { name: 'Tumour', vectorType: VectorType.polygon, color: '#E64980' },
    { name: 'Stroma', vectorType: VectorType.polygon, color: '#37B24D' },
    { name: 'Mitotic figure', vectorType: VectorType.box, color: '#F03E3E' },
  ],
  needs: ['openslide'],
  unavailableReason: () => missingSlides([FILE]),
  create: () =>
    Promise.resolve({ images: [{ file: bundledSlide(FILE), originalName: FILE }], annotations: [] }),
};
