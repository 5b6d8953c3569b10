import { z } from 'zod';
import { dataset, datasetImport, datasetInstance, datasetInstantiate, page } from '@tessera/shared';
import { endpoint, type Endpoint } from '../api/endpoint.js';
import { pathName } from '../api/path-params.js';
import { readMultipart } from '../ingest/multipart.js';
import type { ImageStorage } from '../ingest/storage.js';
import type { DatasetsService } from './datasets.service.js';

/** A data set named in the path. */
const datasetParams = z.object({ name: pathName });

/** `datasets/datasets/`: the catalogue of predefined data sets, and setting one up in a team. */
export function datasetsEndpoints(
  datasets: DatasetsService,
  uploads: { storage: ImageStorage; maxUploadBytes: number },
): Endpoint[] {
  return [
    endpoint({
      method: 'get',
      path: '/datasets/datasets/',
      policy: 'dataset.see',
      tag: 'data sets',
      summary: 'The predefined data sets with their description pages and availability here',
      response: page(dataset),
      async handler() {
        const results = await datasets.catalogue();
        return { body: { count: results.length, next: null, previous: null, results } };
      },
    }),
    endpoint({
      method: 'get',
      path: '/datasets/datasets/:name/',
      policy: 'dataset.see',
      params: datasetParams,
      tag: 'data sets',
      summary: "One data set's description page",
      response: dataset,
      async handler({ params }) {
        return { body: await datasets.describe(params.name) };
      },
    }),
    endpoint({
      method: 'post',
      path: '/datasets/datasets/:name/instantiate/',
      policy: 'team.administer',
      params: datasetParams,
      tag: 'data sets',
      summary: 'Set a data set up in a team (team admins): a new image set with its images and annotations',
      description:
        'Answers once the images are queued for processing and the annotations are written; the ' +
        'images stay `processing` until the tiler has opened them. Generated data sets are made ' +
        'from `seed`: the same seed gives identical images and annotations.',
      body: datasetInstantiate,
      response: datasetInstance,
      status: 201,
      async handler({ viewer, body, params }) {
        return { status: 201, body: await datasets.instantiate(viewer, params.name, body) };
      },
    }),
    endpoint({
      method: 'post',
      path: '/datasets/import/',
      policy: 'team.administer',
      tag: 'data sets',
      summary: 'Make an image set from a zip of images and label files (team admins)',
      description:
        'Multipart form: `team`, optional `name`, and one zip file. Images enter through the upload ' +
        'path; COCO JSON, GeoJSON (matched to the image of the same name) and EXACT label lines ' +
        '(.txt) become annotations of types named after their labels. A malformed label file ' +
        'refuses the archive (400 naming the file and line); items matching no image are skipped ' +
        'and listed.',
      response: datasetImport,
      status: 201,
      async handler({ viewer, ctx }) {
        const upload = await readMultipart(ctx.req, uploads.storage, uploads.maxUploadBytes);
        return { status: 201, body: await datasets.importArchive(viewer, upload) };
      },
    }),
  ];
}
