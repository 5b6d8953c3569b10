import { z } from 'zod';
import { id, updateSchemas, text } from './common.js';
import { drfBoolean, drfInteger } from './drf-fields.js';

/**
 * The export formats: COCO JSON, GeoJSON as QuPath imports it, CSV (one row per annotation), and
 * EXACT's templated text (`exact`, with `export_format=<id>` naming a team's stored template).
 */
export const exportFormat = z.enum(['coco', 'geojson', 'csv', 'exact']);
export type ExportFormat = z.infer<typeof exportFormat>;

const flag = drfBoolean();
const idList = z
  .string()
  .regex(/^\d{1,10}(,\d{1,10})*$/, 'Give annotation type ids separated by commas.')
  .transform((v) => v.split(',').map(Number));

/** The query of an export: its format and filters. */
export const exportQuery = z.object({
  format: exportFormat.default('coco'),
  annotation_type: idList.optional().describe('Only these annotation types (ids, comma-separated).'),
  include_deleted: flag.default(false),
  verified_only: flag.default(false).describe('Only annotations at least one user verified.'),
  min_verifications: drfInteger({ min: 0, max: 1000 }).default(0),
  split: id.optional().describe("A version's split: export one part of it."),
  part: z.enum(['train', 'validation', 'test']).default('train'),
  export_format: id.optional().describe('For format=exact: the template.'),
});
export type ExportQuery = z.infer<typeof exportQuery>;

/** The import formats: COCO JSON, QuPath's GeoJSON, EXACT's label lines (`image|type|{vector}|flags|uuid`). */
export const importFormat = z.enum(['coco', 'geojson', 'exact']);
export type ImportFormat = z.infer<typeof importFormat>;

/** The query of an import. */
export const importQuery = z.object({
  format: importFormat,
  generated: flag.default(false).describe('Mark the imported annotations as algorithm proposals.'),
  image: id.optional().describe('GeoJSON names no image: the image of the set it belongs to.'),
});
export type ImportQuery = z.infer<typeof importQuery>;

/** What an import did and what it skipped, and why. */
export const importReport = z
  .object({
    imported: z.number().int(),
    updated: z.number().int(),
    skipped: z.array(z.object({ item: z.string(), reason: z.string() })),
    images: z.array(id),
  })
  .meta({ id: 'ImportReport' });
export type ImportReport = z.infer<typeof importReport>;

const template = text().max(100_000);

/** EXACT's stored text export format (a team's template with `%%` placeholders). */
export const textExportFormatCreate = z.object({
  name: text().trim().min(1).max(100),
  team: id,
  public: drfBoolean().default(false),
  annotations_types: z.array(id).default([]).describe('The annotation types exported (none: all).'),
  base_format: template.describe('The file: %%content, %%imageset, %%setdescription, %%team, %%setlocation.'),
  image_format: template.nullable().default(null),
  annotation_format: template,
  vector_format: text().max(200).default('x%%count1: %%x%%bry%%count1: %%y'),
  not_in_image_format: template.default(''),
  name_format: text().max(200).default('export_%%exportid.txt'),
  min_verifications: drfInteger({ min: 0, max: 1000 }).default(0),
  image_aggregation: drfBoolean().default(false),
});
export type TextExportFormatCreate = z.infer<typeof textExportFormatCreate>;

export const textExportFormat = textExportFormatCreate
  .extend({ id, image_format: template.nullable() })
  .meta({ id: 'ExportFormat' });
export type TextExportFormat = z.infer<typeof textExportFormat>;
export const textExportFormatUpdate = updateSchemas(textExportFormatCreate);
