import { textExportFormat, textExportFormatCreate, textExportFormatUpdate } from '@tessera/shared';
import { crudEndpoints } from '../api/crud.js';
import type { Endpoint } from '../api/endpoint.js';
import type { Listing } from '../api/listing.js';
import type { ExportFormatsService } from './export-formats.service.js';

/** `annotations/export_formats/`: EXACT's stored text export templates, per team. */
export function exportFormatsEndpoints(formats: ExportFormatsService, listing: Listing): Endpoint[] {
  return crudEndpoints({
    path: '/annotations/export_formats/',
    policy: 'export_format.see',
    tag: 'exports and imports',
    noun: 'export format',
    resource: formats,
    listing,
    output: textExportFormat,
    create: {
      policy: 'team.administer',
      body: textExportFormatCreate,
      run: (viewer, body) => formats.create(viewer, body),
    },
    update: {
      policy: 'export_format.administer',
      ...textExportFormatUpdate,
      run: (viewer, id, body) => formats.update(viewer, id, body),
    },
    remove: { policy: 'export_format.administer', run: (viewer, id) => formats.remove(viewer, id) },
  });
}
