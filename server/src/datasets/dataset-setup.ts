import { createReadStream } from 'node:fs';
import type { RestAnnotationWrite } from '@tessera/shared';
import { annotationTypeCreate, imageSetCreate, productCreate } from '@tessera/shared';
import type { AnnotationTypesService } from '../resources/annotation-types/annotation-types.service.js';
import type { AnnotationsService } from '../resources/annotations/annotations.service.js';
import type { Viewer } from '../auth/viewer.js';
import { AppError } from '../errors/app-error.js';
import type { ImageSetsService } from '../resources/image-sets/image-sets.service.js';
import type { UploadService } from '../ingest/upload.service.js';
import type { ImageStorage } from '../ingest/storage.js';
import type { ProductsService } from '../resources/products/products.service.js';
import type { DatasetContent, LabelSpec } from './dataset.js';

export interface SetupDeps {
  readonly storage: ImageStorage;
  readonly maxUploadBytes: number;
  readonly imageSets: ImageSetsService;
  readonly products: ProductsService;
  readonly annotationTypes: AnnotationTypesService;
  readonly uploads: UploadService;
  readonly annotations: AnnotationsService;
}

/** What to make in a team: an image set with this scheme, images and annotations. */
export interface SetupPlan {
  readonly team: number;
  /** The image set's and product's name (made unique in the team with " (2)", " (3)", ...). */
  readonly title: string;
  readonly description: string;
  readonly productDescription: string;
  readonly labels: readonly LabelSpec[];
  readonly content: DatasetContent;
}

export interface SetupResult {
  readonly image_set: number;
  readonly product: number;
  readonly annotation_types: number[];
  readonly images: number[];
  readonly annotations: number;
}

/**
 * Makes an image set from content, through the same services as a person would (image set, product,
 * annotation types, the upload path with its job queue and tiler, annotations through the live
 * documents), with the caller's rights.
 */
export class DatasetSetup {
  constructor(private readonly deps: SetupDeps) {}

  /** Makes the plan's image set whole, or nothing: a failure or `signal`'s abort removes what was made. */
  async run(viewer: Viewer, plan: SetupPlan, signal?: AbortSignal): Promise<SetupResult> {
    signal?.throwIfAborted();
    const imageSet = await firstFreeName(plan.title, (candidate) =>
      this.deps.imageSets.create(
        viewer,
        imageSetCreate.parse({ name: candidate, team: plan.team, description: plan.description }),
      ),
    );
    try {
      return await this.fill(viewer, plan, imageSet.id, signal);
    } catch (error) {
      // A setup is whole or absent: what was made before the failure goes again (rows; the image
      // files stay behind like those of any removed image set).
      await this.removeSet(viewer, imageSet.id);
      throw error;
    }
  }

  private async fill(
    viewer: Viewer,
    plan: SetupPlan,
    imageSet: number,
    signal: AbortSignal | undefined,
  ): Promise<SetupResult> {
    const product = await firstFreeName(plan.title, (candidate) =>
      this.deps.products.create(
        viewer,
        productCreate.parse({
          name: candidate,
          team: plan.team,
          description: plan.productDescription,
          imagesets: [imageSet],
        }),
      ),
    );
    try {
      const types = new Map<string, number>();
      for (const [index, label] of plan.labels.entries()) {
        const body = annotationTypeCreate.parse({
          name: label.name,
          product: product.id,
          vector_type: label.vectorType,
          color_code: label.color,
          sort_order: index,
        });
        types.set(label.name, await this.deps.annotationTypes.create(viewer, body));
      }
      const images = await this.upload(viewer, imageSet, plan.content, signal);
      const annotations = await this.annotate(viewer, plan.content, images, types, signal);
      return {
        image_set: imageSet,
        product: product.id,
        annotation_types: [...types.values()],
        images,
        annotations,
      };
    } catch (error) {
      // The annotations go with the image set; then the product and its types can go too.
      await this.removeSet(viewer, imageSet);
      await this.deps.products.remove(viewer, product.id).catch(() => undefined);
      throw error;
    }
  }

  private async removeSet(viewer: Viewer, imageSet: number): Promise<void> {
    await this.deps.imageSets.remove(viewer, imageSet).catch(() => undefined);
  }

  /** Each file enters through the upload path (staged, hashed, placed, queued for the tiler). */
  private async upload(
    viewer: Viewer,
    imageSet: number,
    content: DatasetContent,
    signal: AbortSignal | undefined,
  ): Promise<number[]> {
    const ids: number[] = [];
    for (const image of content.images) {
      signal?.throwIfAborted();
      const staged = await this.deps.storage.stage(createReadStream(image.file), this.deps.maxUploadBytes);
      const result = await this.deps.uploads.upload(viewer, {
        fields: { image_set: String(imageSet), image_type: '0' },
        files: [{ field: 'file', originalName: image.originalName, staged }],
      });
      const id = result.created[0];
      if (id === undefined) {
        const why = result.skipped[0]?.reason ?? 'no image was created';
        throw new Error(`${image.originalName}: ${why}`);
      }
      ids.push(id);
    }
    return ids;
  }

  /** Annotations go through the one write path: validated, written in each image's live document. */
  private async annotate(
    viewer: Viewer,
    content: DatasetContent,
    images: readonly number[],
    types: ReadonlyMap<string, number>,
    signal: AbortSignal | undefined,
  ): Promise<number> {
    const byImage = new Map<number, RestAnnotationWrite[]>();
    for (const a of content.annotations) {
      const image = images[a.image];
      const type = types.get(a.label);
      // The content names its own images and labels: a miss is a fault in the data set, not input.
      if (image === undefined) throw new Error(`an annotation names image ${a.image} of ${images.length}`);
      if (type === undefined) throw new Error(`an annotation names the undeclared label "${a.label}"`);
      const write: RestAnnotationWrite = {
        annotation_type: type,
        image,
        vector: a.vector,
        unique_identifier: a.uuid,
        deleted: false,
        description: a.description ?? '',
        generated: false,
        score: null,
      };
      byImage.set(image, [...(byImage.get(image) ?? []), write]);
    }
    let count = 0;
    for (const writes of byImage.values()) {
      signal?.throwIfAborted();
      count += (await this.deps.annotations.saveMany(viewer, writes)).length;
    }
    return count;
  }
}

/**
 * Creates something under `base`, or `base (2)`, `base (3)`, ... when the team has that name already
 * (setting a data set up twice in one team gives two image sets side by side).
 */
async function firstFreeName(
  base: string,
  create: (name: string) => Promise<number>,
): Promise<{ id: number }> {
  for (let n = 1; n <= 100; n++) {
    const candidate = n === 1 ? base : `${base} (${n})`;
    try {
      return { id: await create(candidate) };
    } catch (error) {
      if (!(error instanceof AppError && error.fieldErrors?.name)) throw error;
    }
  }
  throw AppError.invalidField('name', `The team has 100 image sets named "${base}" already.`);
}
