import { z } from 'zod';
import type { Point } from '@tessera/shared';
import { shapeOf, type Shape } from './geometry.js';
import type { ExportWriter } from './export-model.js';
import { describeIssue, ImportFormatError, type ImportItem, type ParsedImport } from './import-model.js';

/*
 * GeoJSON as QuPath reads and writes it: a FeatureCollection of features with `objectType:
 * "annotation"` and `classification: {name, color: [r, g, b]}`; rings as closed Polygons, lines as
 * LineStrings, in the image's pixel coordinates. Tessera's fields ride along in `properties.tessera`.
 */

/** The GeoJSON writer. */
export const geoJsonWriter: ExportWriter = {
  contentType: 'application/geo+json',
  extension: 'geojson',
  head() {
    return '{"type":"FeatureCollection","features":[';
  },
  row(row, context, first) {
    const type = context.types.get(row.annotation_type_id);
    const shape = type ? shapeOf(type.vector_type, row.vector) : null;
    if (!type || !shape) return null;
    const feature = {
      type: 'Feature',
      id: row.unique_identifier,
      geometry: geometryOf(shape),
      properties: {
        objectType: 'annotation',
        classification: { name: type.name, color: rgb(type.color_code) },
        isLocked: false,
        tessera: {
          unique_identifier: row.unique_identifier,
          image: row.image_id,
          image_name: context.images.get(row.image_id)?.name ?? '',
          annotation_type: row.annotation_type_id,
          ...(shape.frame === undefined ? {} : { frame: shape.frame }),
          deleted: row.deleted,
          generated: row.generated,
          score: row.score,
          description: row.description,
        },
      },
    };
    return `${first ? '' : ','}${JSON.stringify(feature)}`;
  },
  tail() {
    return ']}';
  },
};

function geometryOf(shape: Shape) {
  const coordinates = shape.points.map((p) => [p.x, p.y]);
  if (shape.kind === 'ring') return { type: 'Polygon', coordinates: [[...coordinates, coordinates[0]]] };
  return { type: 'LineString', coordinates };
}

function rgb(color: string): [number, number, number] {
  const value = Number.parseInt(color.slice(1), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

const position = z.tuple([z.number(), z.number()]).rest(z.number());
const geometry = z.discriminatedUnion('type', [
  z.object({ type: z.literal('Point'), coordinates: position }),
  z.object({ type: z.literal('MultiPoint'), coordinates: z.array(position).min(1) }),
  z.object({ type: z.literal('LineString'), coordinates: z.array(position).min(2) }),
  z.object({ type: z.literal('Polygon'), coordinates: z.array(z.array(position).min(4)).min(1) }),
  z.object({
    type: z.literal('MultiPolygon'),
    coordinates: z.array(z.array(z.array(position).min(4)).min(1)).min(1),
  }),
]);
const feature = z.looseObject({
  type: z.literal('Feature'),
  id: z.unknown().optional(),
  geometry: geometry.nullable(),
  properties: z
    .looseObject({
      classification: z.looseObject({ name: z.string().min(1) }).optional(),
      name: z.string().optional(),
      tessera: z
        .looseObject({
          unique_identifier: z.uuid().optional(),
          image_name: z.string().optional(),
          frame: z.number().int().min(0).optional(),
          deleted: z.boolean().optional(),
          generated: z.boolean().optional(),
          score: z.number().nullable().optional(),
          description: z.string().max(10_000).optional(),
        })
        .optional(),
    })
    .nullable()
    .optional(),
});
const file = z.union([
  z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) }),
  z.array(z.unknown()),
  z.looseObject({ type: z.literal('Feature') }),
]);

/**
 * Parses GeoJSON (a FeatureCollection, a list of features as QuPath also writes, or one feature);
 * a problem throws naming the feature (`feature 3: geometry.coordinates: ...`).
 */
export function parseGeoJson(json: unknown): ParsedImport {
  const top = file.safeParse(json);
  if (!top.success) {
    throw new ImportFormatError('GeoJSON: expected a FeatureCollection, a list of features or a Feature');
  }
  const features = Array.isArray(top.data)
    ? top.data
    : top.data.type === 'FeatureCollection'
      ? (top.data as { features: unknown[] }).features
      : [top.data];
  const items = features.map((raw, index): ImportItem => {
    const where = `feature ${index}`;
    const parsed = feature.safeParse(raw);
    if (!parsed.success) throw new ImportFormatError(`GeoJSON: ${where}: ${describeIssue(parsed.error)}`);
    const properties = parsed.data.properties ?? {};
    const typeName = properties.classification?.name;
    if (typeName === undefined) {
      throw new ImportFormatError(`GeoJSON: ${where}: properties.classification.name is missing`);
    }
    const extra = properties.tessera;
    const id =
      typeof parsed.data.id === 'string' && z.uuid().safeParse(parsed.data.id).success
        ? parsed.data.id
        : undefined;
    const uuid = extra?.unique_identifier ?? id;
    return {
      where,
      imageName: extra?.image_name ?? null,
      typeName,
      shape: parsed.data.geometry ? geometryShape(parsed.data.geometry, extra?.frame) : null,
      ...(uuid === undefined ? {} : { uniqueIdentifier: uuid }),
      ...(extra?.description === undefined ? {} : { description: extra.description }),
      ...(extra?.deleted === undefined ? {} : { deleted: extra.deleted }),
      ...(extra?.generated === undefined ? {} : { generated: extra.generated }),
      ...(extra?.score === undefined ? {} : { score: extra.score }),
    };
  });
  return { items };
}

/** The shape of a GeoJSON geometry: a polygon's outer ring without its closing point, a line, points. */
function geometryShape(g: z.infer<typeof geometry>, frame: number | undefined): Shape {
  const base = frame === undefined ? {} : { frame };
  const pt = (c: readonly number[]): Point => ({ x: c[0] as number, y: c[1] as number });
  switch (g.type) {
    case 'Point':
      return { kind: 'points', points: [pt(g.coordinates)], ...base };
    case 'MultiPoint':
      return { kind: 'points', points: g.coordinates.map(pt), ...base };
    case 'LineString':
      return { kind: 'line', points: g.coordinates.map(pt), ...base };
    case 'Polygon':
      return { kind: 'ring', points: openRing(g.coordinates[0] ?? []).map(pt), ...base };
    case 'MultiPolygon':
      return { kind: 'ring', points: openRing(g.coordinates[0]?.[0] ?? []).map(pt), ...base };
  }
}

function openRing<T extends readonly number[]>(ring: readonly T[]): readonly T[] {
  const first = ring[0];
  const last = ring.at(-1);
  return first && last && first[0] === last[0] && first[1] === last[1] ? ring.slice(0, -1) : ring;
}
