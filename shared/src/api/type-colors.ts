// The default colours of annotation types. A module of its own, with no imports, so the browser's
// settings page can use it (`@tessera/shared/type-colors`) without loading the whole package.

/**
 * The colours new annotation types get when none is given, distinct from each other and readable on
 * stained tissue (after Trubetskoy's 20 distinct colours, without the pale ones).
 */
export const TYPE_COLORS = [
  '#E6194B',
  '#3CB44B',
  '#4363D8',
  '#F58231',
  '#911EB4',
  '#42D4F4',
  '#F032E6',
  '#BFEF45',
  '#469990',
  '#9A6324',
  '#800000',
  '#000075',
] as const;

/** The default colour of a product's next type, given how many types it has: the palette, cycling. */
export function defaultTypeColor(typesInProduct: number): string {
  return TYPE_COLORS[Math.abs(Math.trunc(typesInProduct)) % TYPE_COLORS.length] ?? TYPE_COLORS[0];
}
