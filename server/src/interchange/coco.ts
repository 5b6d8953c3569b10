import { z } from 'zod';
import type { Vector } from '@tessera/shared';
import { bboxOf, boxArea, isBoxLike, ringArea, shapeOf, type Shape } from './geometry.js';
import type { ExportRow, ExportWriter } from './export-model.js';
import { describeIssue, ImportFormatError, type ImportItem, type ParsedImport } from './import-model.js';

/*
 * COCO (cocodataset.org's detection format, as pycocotools loads it): images with sizes, categories
 * from the annotation types, annotations with bbox [x, y, w, h], area and, for rings and lines, a
 * polygon segmentation. Image-level labels have no place in COCO and are left out. Tessera's own
 * fields ride along in `tessera` (unique identifier, flags) so an export imports back losslessly.
 */

/** The COCO writer. */
export const cocoWriter: ExportWriter = {
  contentType: 'application/json',
  extension: 'json',
  head(context) {
    const images = [...context.images.values()].map((i) => ({
      id: i.id,
      file_name: i.name,
      width: i.width,
      height: i.height,
    }));
    const categories = [...context.types.values()].map((t) => ({
      id: t.id,
      name: t.name,
      supercategory: '',
      tessera: { vector_type: t.vector_type, color: t.color_code },
    }));
    const info = { description: 'Tessera export', date_created: new Date().toISOString() };
    const head = JSON.stringify({ info, licenses: [], images, categories });
    return `${head.slice(0, -1)},"annotations":[`;
  },
  row(row, context, first) {
    const type = context.types.get(row.annotation_type_id);
    if (type && row.vector !== null && isBoxLike(type.vector_type)) {
      const box = boxRow(row, row.vector, first);
      if (box !== null) return box;
    }
    const shape = type ? shapeOf(type.vector_type, row.vector) : null;
    if (!shape) return null;
    // Written by hand rather than with JSON.stringify of an object: half the cost per annotation,
    // which is most of an export's time (numbers print the same; strings go through JSON.stringify).
    const [x, y, w, h] = bboxOf(shape.points);
    const area = shape.kind === 'ring' ? ringArea(shape.points) : 0;
    let points = '';
    for (const p of shape.points) points += `${points === '' ? '' : ','}${p.x},${p.y}`;
    // pycocotools reads a 4-number polygon as a box: lines keep their points in `tessera` instead.
    const ring = shape.kind === 'ring';
    const segmentation = ring ? `[${points}]` : '';
    const linePoints = ring ? '' : `,"points":[${points}]`;
    const score = row.score === null ? '' : `,"score":${row.score}`;
    const frame = shape.frame === undefined ? '' : `,"frame":${shape.frame}`;
    return (
      `${first ? '' : ','}{"id":${row.id},"image_id":${row.image_id},"category_id":${row.annotation_type_id},` +
      `"bbox":[${x},${y},${w},${h}],"area":${area},"segmentation":[${segmentation}],"iscrowd":0${score},` +
      `"tessera":{"unique_identifier":"${row.unique_identifier}","kind":"${shape.kind}"${frame}${linePoints},` +
      `"deleted":${row.deleted},"generated":${row.generated},"description":${JSON.stringify(row.description)}}}`
    );
  },
  tail() {
    return ']}';
  },
};

/**
 * A box's annotation, exactly as the general path writes its rectangle (same numbers, same order of
 * arithmetic) without building the shape, its points and its bbox: boxes are most annotations, and
 * those objects and their garbage were a large part of an export's CPU (README.md, measured).
 */
function boxRow(row: ExportRow, vector: Vector, first: boolean): string | null {
  const { x1, y1, x2, y2, frame } = vector;
  if (x1 === undefined || y1 === undefined || x2 === undefined || y2 === undefined) return null;
  // bboxOf over the ring (x1,y1) (x2,y1) (x2,y2) (x1,y2).
  const xMin = x2 < x1 ? x2 : x1;
  const xMax = x2 > x1 ? x2 : x1;
  const yMin = y2 < y1 ? y2 : y1;
  const yMax = y2 > y1 ? y2 : y1;
  const score = row.score === null ? '' : `,"score":${row.score}`;
  return (
    `${first ? '' : ','}{"id":${row.id},"image_id":${row.image_id},"category_id":${row.annotation_type_id},` +
    `"bbox":[${xMin},${yMin},${xMax - xMin},${yMax - yMin}],"area":${boxArea(x1, y1, x2, y2)},` +
    `"segmentation":[[${x1},${y1},${x2},${y1},${x2},${y2},${x1},${y2}]],"iscrowd":0${score},` +
    `"tessera":{"unique_identifier":"${row.unique_identifier}","kind":"ring"${frame === undefined ? '' : `,"frame":${frame}`},` +
    `"deleted":${row.deleted},"generated":${row.generated},"description":${JSON.stringify(row.description)}}}`
  );
}

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
const cocoFile = z.object({
  images: z.array(z.looseObject({ id: z.number().int(), file_name: z.string().min(1) })),
  categories: z.array(z.looseObject({ id: z.number().int(), name: z.string().min(1) })),
  annotations: z.array(
    z.looseObject({
      image_id: z.number().int(),
      category_id: z.number().int(),
      bbox: z.tuple([finite, finite, finite.min(0), finite.min(0)]).optional(),
      segmentation: z.unknown().optional(),
      score: finite.optional(),
      tessera: z
        .looseObject({
          unique_identifier: z.uuid().optional(),
          kind: z.enum(['ring', 'line', 'points']).optional(),
          points: z.array(finite).min(2).optional(),
          frame: z.number().int().min(0).optional(),
          deleted: z.boolean().optional(),
          generated: z.boolean().optional(),
          description: z.string().max(10_000).optional(),
        })
        .optional(),
    }),
  ),
});

/** Parses a COCO file; a structural problem throws naming the annotation (`annotations[3].bbox`). */
export function parseCoco(json: unknown): ParsedImport {
  const parsed = cocoFile.safeParse(json);
  if (!parsed.success) throw new ImportFormatError(`COCO: ${describeIssue(parsed.error)}`);
  const images = new Map(parsed.data.images.map((i) => [i.id, i.file_name]));
  const categories = new Map(parsed.data.categories.map((c) => [c.id, c.name]));
  const items = parsed.data.annotations.map((a, index): ImportItem => {
    const where = `annotations[${index}]`;
    const imageName = images.get(a.image_id);
    if (imageName === undefined)
      throw new ImportFormatError(`COCO: ${where}: image_id ${a.image_id} is not in images`);
    const typeName = categories.get(a.category_id);
    if (typeName === undefined) {
      throw new ImportFormatError(`COCO: ${where}: category_id ${a.category_id} is not in categories`);
    }
    const extra = a.tessera;
    return {
      where,
      imageName,
      typeName,
      shape: shapeFrom(
        extra?.points && (!Array.isArray(a.segmentation) || a.segmentation.length === 0)
          ? [extra.points]
          : a.segmentation,
        a.bbox,
        extra?.kind,
        extra?.frame,
        where,
      ),
      ...(extra?.unique_identifier === undefined ? {} : { uniqueIdentifier: extra.unique_identifier }),
      ...(extra?.description === undefined ? {} : { description: extra.description }),
      ...(extra?.deleted === undefined ? {} : { deleted: extra.deleted }),
      ...(extra?.generated === undefined ? {} : { generated: extra.generated }),
      ...(a.score === undefined ? {} : { score: a.score }),
    };
  });
  return { items };
}

/** The shape of a COCO annotation: its first polygon if it has one, else its bbox as a rectangle. */
function shapeFrom(
  segmentation: unknown,
  bbox: readonly number[] | undefined,
  kind: Shape['kind'] | undefined,
  frame: number | undefined,
  where: string,
): Shape {
  const base = frame === undefined ? {} : { frame };
  if (Array.isArray(segmentation) && segmentation.length > 0) {
    const ring: unknown = segmentation[0];
    if (
      !Array.isArray(ring) ||
      ring.length < 4 ||
      ring.length % 2 !== 0 ||
      !ring.every((v) => typeof v === 'number' && Number.isFinite(v))
    ) {
      throw new ImportFormatError(
        `COCO: ${where}.segmentation[0]: a polygon is a list of at least 2 x, y pairs of numbers`,
      );
    }
    const values = ring as number[];
    const points = [];
    for (let i = 0; i < values.length; i += 2)
      points.push({ x: values[i] as number, y: values[i + 1] as number });
    return { kind: kind ?? 'ring', points, ...base };
  }
  if (segmentation !== undefined && !Array.isArray(segmentation)) {
    throw new ImportFormatError(`COCO: ${where}.segmentation: RLE masks are not imported; give polygons`);
  }
  if (!bbox) throw new ImportFormatError(`COCO: ${where}: needs a bbox or a polygon segmentation`);
  const [x, y, w, h] = bbox as [number, number, number, number];
  return {
    kind: 'ring',
    points: [
      { x, y },
      { x: x + w, y },
      { x: x + w, y: y + h },
      { x, y: y + h },
    ],
    ...base,
  };
}
