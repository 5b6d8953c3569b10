import type { z } from 'zod';

/** A rectangle in level-0 pixels of an image. */
export interface PixelRegion {
  x: number;
  y: number;
  width: number;
  height: number;
}
/** Row-major RGB pixels, 3 bytes a pixel. */
export interface RgbPixels {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3;
}
/** An algorithm's proposal: stored as an annotation with generated: true and the score. */
export interface ProposalInput {
  annotationType: number;
  /** EXACT's vector: {x1,y1,x2,y2} for boxes, {x1,y1,...,xn,yn} for polygons, level-0 pixels. */
  vector: Record<string, number>;
  /** 0..1 */
  score: number;
}
export interface PluginAnnotation {
  id: number;
  annotationType: number;
  vector: Record<string, number>;
  generated: boolean;
  score: number | null;
}
/** All a job plugin may do: never the database handle. */
export interface PluginJobContext {
  readonly job: { id: number; imageId: number; settings: unknown };
  readonly image: {
    id: number;
    width: number;
    height: number;
    mpp: number | null;
    objectivePower: number | null;
  };
  readonly annotationTypes: readonly { id: number; name: string; vectorType: number }[];
  /** Pixels of a region, scaled down by `downsample` (1 = full resolution). */
  readPixels(region: PixelRegion, downsample?: number): Promise<RgbPixels>;
  listAnnotations(region?: PixelRegion): Promise<readonly PluginAnnotation[]>;
  /** Writes through the one annotation write path into the image's live document. */
  writeProposals(proposals: readonly ProposalInput[]): Promise<void>;
  /** 0..1; the host stores it as processing_complete 0-100 and derives the ETA. */
  progress(fraction: number): Promise<void>;
  readonly signal: AbortSignal;
}
export interface JobPlugin {
  readonly name: string;
  readonly description: string;
  /** Validates the job's settings; a failure is a 400 when the job is created. */
  readonly settings: z.ZodType<unknown>;
  run(context: PluginJobContext): Promise<{ summary?: string }>;
}
