// Reads a folder of images and label files (as expanded from an archive) into a data set's content:
// label files are parsed by the interchange importers, their shapes turned into vectors of the
// annotation types their labels become, and each item matched to an image by file name.
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { VectorType, vectorSchema } from '@tessera/shared';
import { parseCoco } from '../interchange/coco.js';
import { parseGeoJson } from '../interchange/geojson.js';
import { vectorFor, type Shape } from '../interchange/geometry.js';
import { ImportFormatError, type ImportItem, type ParsedImport } from '../interchange/import-model.js';
import { parseLabelLines } from '../interchange/label-lines.js';
import type { DatasetAnnotation, DatasetContent, DatasetImage, LabelSpec } from './dataset.js';

/** Endings taken as images (everything the upload path accepts, except zips inside the archive). */
const IMAGE_ENDINGS: ReadonlySet<string> = new Set(
  ['svs', 'ndpi', 'tif', 'tiff', 'scn', 'bif', 'svslide', 'png', 'jpg', 'jpeg', 'webp', 'gif', 'dcm']
    .concat(['mp4', 'avi', 'mkv', 'mov', 'webm', 'mpg', 'mpeg'])
    .map((e) => `.${e}`),
);
const LABEL_ENDINGS: ReadonlySet<string> = new Set(['.json', '.geojson', '.txt']);

const PALETTE = ['#4C6EF5', '#F59F00', '#37B24D', '#E64980', '#F03E3E', '#7950F2', '#15AABF', '#FD7E14'];

/** One file of the folder: its name there and where it lies now. */
export interface FolderFile {
  readonly name: string;
  readonly file: string;
}

/** What a folder holds, as a data set's content, with what was left out and why. */
export interface FolderImport {
  readonly content: DatasetContent;
  readonly labels: readonly LabelSpec[];
  readonly skipped: { item: string; reason: string }[];
}

/** A label file that is not COCO, GeoJSON or EXACT label lines, or is malformed; names the file. */
export class FolderFormatError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'FolderFormatError';
  }
}

async function parseLabelFile(f: FolderFile): Promise<ParsedImport> {
  const text = await readFile(f.file, 'utf8');
  try {
    if (path.extname(f.name).toLowerCase() === '.txt') return parseLabelLines(text);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ImportFormatError(`not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
    const type = (json as { type?: unknown } | null)?.type;
    if (type === 'FeatureCollection' || type === 'Feature') return parseGeoJson(json);
    if (json !== null && typeof json === 'object' && 'annotations' in json) return parseCoco(json);
    throw new ImportFormatError('neither a COCO file (with "annotations") nor GeoJSON (a FeatureCollection)');
  } catch (error) {
    if (error instanceof ImportFormatError) throw new FolderFormatError(f.name, error.message);
    throw error;
  }
}

const isRectangle = (s: Shape) => {
  const xs = new Set(s.points.map((p) => p.x));
  const ys = new Set(s.points.map((p) => p.y));
  return s.kind === 'ring' && s.points.length <= 5 && xs.size === 2 && ys.size === 2;
};

// A box drawn as a rectangle ring (COCO's bbox) or given by its two corners (EXACT's label lines).
const isBoxLike = (s: Shape) => isRectangle(s) || (s.kind === 'points' && s.points.length === 2);

/** The vector type a label's shapes call for: boxes for rectangles, polygons for other rings, ... */
function vectorTypeOf(shapes: readonly (Shape | null)[]): number {
  if (shapes.every((s) => s === null)) return VectorType.global;
  const drawn = shapes.filter((s): s is Shape => s !== null);
  if (drawn.every(isBoxLike)) return VectorType.box;
  if (drawn.some((s) => s.kind === 'ring')) return VectorType.polygon;
  if (drawn.every((s) => s.kind === 'points' && s.points.length === 1)) return VectorType.circle;
  return drawn.every((s) => s.points.length === 2) ? VectorType.line : VectorType.multiLine;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads the folder's images and label files. Items are matched to images by file name (a GeoJSON
 * file, which names no image, goes with the image of the same stem, or the only image); items that
 * match none, deleted items and shapes their type cannot take are skipped with the reason.
 */
export async function readFolder(files: readonly FolderFile[]): Promise<FolderImport> {
  const skipped: { item: string; reason: string }[] = [];
  const images: DatasetImage[] = [];
  const labelFiles: FolderFile[] = [];
  for (const f of [...files].sort((a, b) => a.name.localeCompare(b.name))) {
    const ending = path.extname(f.name).toLowerCase();
    if (IMAGE_ENDINGS.has(ending)) images.push({ file: f.file, originalName: f.name });
    else if (LABEL_ENDINGS.has(ending)) labelFiles.push(f);
    else skipped.push({ item: f.name, reason: 'neither an image nor a label file' });
  }
  const byName = new Map(images.map((image, index) => [image.originalName, index]));
  const byStem = new Map(images.map((image, index) => [stem(image.originalName), index]));
  const items: { source: string; item: ImportItem; image: number }[] = [];
  for (const f of labelFiles) {
    for (const item of (await parseLabelFile(f)).items) {
      const where = `${f.name} ${item.where}`;
      const image =
        item.imageName === null
          ? (byStem.get(stem(f.name)) ?? (images.length === 1 ? 0 : undefined))
          : byName.get(path.posix.basename(item.imageName));
      if (image === undefined) {
        skipped.push({ item: where, reason: `no image "${item.imageName ?? stem(f.name)}" in the folder` });
      } else if (item.deleted === true) {
        skipped.push({ item: where, reason: 'deleted' });
      } else items.push({ source: where, item, image });
    }
  }
  const shapesByLabel = new Map<string, (Shape | null)[]>();
  for (const { item } of items)
    shapesByLabel.set(item.typeName, [...(shapesByLabel.get(item.typeName) ?? []), item.shape]);
  const labels: LabelSpec[] = [...shapesByLabel.entries()].map(([name, shapes], index) => ({
    name,
    vectorType: vectorTypeOf(shapes),
    color: PALETTE[index % PALETTE.length] ?? '#CC4444',
  }));
  const typeOf = new Map(labels.map((l) => [l.name, l.vectorType]));
  const annotations: DatasetAnnotation[] = [];
  for (const { source, item, image } of items) {
    const vectorType = typeOf.get(item.typeName) ?? 0;
    const vector = item.shape === null ? null : vectorFor(vectorType, item.shape);
    // Shapes that do not fit the label's type (a line among polygons) are left out, not the import.
    const problem =
      typeof vector === 'string'
        ? vector
        : vectorSchema(vectorType).safeParse(vector).error?.issues[0]?.message;
    if (problem !== undefined || typeof vector === 'string') {
      skipped.push({ item: source, reason: `does not fit the type "${item.typeName}": ${problem ?? ''}` });
      continue;
    }
    const id = item.uniqueIdentifier;
    annotations.push({
      image,
      label: item.typeName,
      vector,
      uuid: id !== undefined && UUID.test(id) ? id : randomUUID(),
      ...(item.description === undefined ? {} : { description: item.description }),
    });
  }
  return { content: { images, annotations }, labels, skipped };
}

function stem(name: string): string {
  return path.basename(name, path.extname(name));
}
