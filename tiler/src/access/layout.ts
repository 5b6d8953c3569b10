// Where the tiler keeps what it derives from an upload, beside the pyramid path the server chose. The
// server reads these conventions too (through @tessera/tiler/token), so they live in one place.

/** Where frame `frame` (1-based) of a multi-frame image lives: the first at the pyramid path itself. */
export function framePath(pyramid: string, frame: number): string {
  return frame === 1 ? pyramid : `${pyramid}.frame-${frame}.tiff`;
}

/** Where the tile pack of a converted pyramid lives: beside it. */
export function tilePackPath(pyramid: string): string {
  return `${pyramid}.tiles.zip`;
}
