/** EXACT's vector types (AnnotationType.vector_type) as people read them. */
export const VECTOR_TYPES = [
  { value: 1, label: 'Box' },
  { value: 2, label: 'Circle / point' },
  { value: 3, label: 'Line' },
  { value: 4, label: 'Multi-line' },
  { value: 5, label: 'Polygon' },
  { value: 6, label: 'Fixed-size box' },
  { value: 7, label: 'Image label (global)' },
  { value: 8, label: 'Segmentation' },
] as const;

/** The label of a vector type. */
export function vectorTypeLabel(value: number): string {
  return VECTOR_TYPES.find((type) => type.value === value)?.label ?? `Type ${value}`;
}
