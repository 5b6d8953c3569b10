// Seeded demo-image generators. The server's data sets call them; they know nothing of the server.
export { CELL_CLASSES, cellBox, makeCell, placeCells, renderCell } from './cells.js';
export type { Blob, Cell, CellClass, Rgb, Sprite } from './cells.js';
export { CELL_LABELS, GENERATED_LICENCE, SMEAR_BACKGROUND, cellVector } from './labels.js';
export type { CellLabel } from './labels.js';
export { movingCells } from './motion.js';
export type { Moving, MovingAnnotation } from './motion.js';
export { mulberry32, seededUuid, subSeed } from './prng.js';
export type { Random } from './prng.js';
export { renderRgb, writeMultiPageTiff, writePng, writePyramidTiff } from './raster.js';
export type { Scene } from './raster.js';
export { encodeMp4 } from './video.js';
