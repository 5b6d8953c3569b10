import type { SystemLibrary } from '@tessera/tiler';
import type { Vector } from '@tessera/shared';

/** An annotation type a data set brings (EXACT's vector_type numbering). */
export interface LabelSpec {
  readonly name: string;
  readonly vectorType: number;
  readonly color: string;
}

/** A file that becomes one image: made in the work folder, or read where it lies (bundled slides). */
export interface DatasetImage {
  readonly file: string;
  /** The name it is uploaded under (the image gets a pseudonym as any upload does). */
  readonly originalName: string;
}

/** One annotation of a data set; `uuid` is derived from the seed so setups can be compared. */
export interface DatasetAnnotation {
  /** Index into the images. */
  readonly image: number;
  readonly label: string;
  readonly vector: Vector | null;
  readonly uuid: string;
  readonly description?: string;
}

export interface DatasetContent {
  readonly images: readonly DatasetImage[];
  readonly annotations: readonly DatasetAnnotation[];
}

/**
 * A predefined data set: its description page and the function that makes its content. Adding one is
 * adding a folder with a `dataset.ts` that exports a DatasetDefinition, plus its line in catalogue.ts.
 */
export interface DatasetDefinition {
  /** Stable identifier (the folder name), used by the API and `tessera dataset add NAME`. */
  readonly name: string;
  readonly title: string;
  /** One sentence for lists. */
  readonly summary: string;
  /** What it shows and how it was made. */
  readonly description: string;
  readonly source: string;
  readonly licence: string;
  /** Generated from a seed at setup, or real files that ship beside the project. */
  readonly kind: 'generated' | 'bundled';
  readonly imageCount: number;
  readonly annotationCount: number;
  readonly labels: readonly LabelSpec[];
  /** Optional system packages the tiler needs for its images (checked against what the tiler lacks). */
  readonly needs?: readonly SystemLibrary[];
  /** Why it cannot be set up on this machine (files or tools missing), or null when it can. */
  unavailableReason(): Promise<string | null>;
  /** Makes the content; generated files go into `workDir`, and the same seed gives the same bytes. */
  create(workDir: string, seed: number): Promise<DatasetContent>;
}
