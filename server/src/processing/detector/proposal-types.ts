import type { PluginJobContext } from '../plugin-api.js';

/** EXACT's vector type numbers of the two shapes algorithms propose. */
export const BOX_VECTOR_TYPE = 1;
export const POLYGON_VECTOR_TYPE = 5;

/**
 * The annotation type for proposals of `shape`: the one the settings name (which must be the
 * image's and of that shape), else the image's first type of that shape.
 */
export function proposalType(
  context: Pick<PluginJobContext, 'annotationTypes'>,
  shape: 'box' | 'polygon',
  requested: number | undefined,
): number {
  const vectorType = shape === 'box' ? BOX_VECTOR_TYPE : POLYGON_VECTOR_TYPE;
  const types = context.annotationTypes;
  if (requested !== undefined) {
    const type = types.find((t) => t.id === requested);
    if (!type) throw new Error(`annotation type ${requested} is not one of this image's types`);
    if (type.vectorType !== vectorType) {
      throw new Error(`annotation type ${requested} (${type.name}) does not take ${shape} vectors`);
    }
    return type.id;
  }
  const fitting = types.find((t) => t.vectorType === vectorType);
  if (!fitting) throw new Error(`the image's product has no ${shape} annotation type for the proposals`);
  return fitting.id;
}
