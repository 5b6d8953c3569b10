import type { Random } from './prng.js';

export type Rgb = readonly [number, number, number];

/** A nucleus part in the cell's own frame, in units of the cell's long semi-axis. */
export interface Blob {
  readonly x: number;
  readonly y: number;
  readonly rx: number;
  readonly ry: number;
}

/** How one kind of cell looks and how common it is; `label` names its annotation type. */
export interface CellClass {
  readonly label: string;
  /** EXACT's colour code of the annotation type. */
  readonly color: string;
  readonly weight: number;
  /** Long semi-axis in pixels at the slide's full resolution. */
  readonly radius: readonly [number, number];
  /** Short over long semi-axis. */
  readonly aspect: readonly [number, number];
  readonly cytoplasm: Rgb;
  readonly nucleus: Rgb;
  nuclei(random: Random): Blob[];
}

/** One cell placed in an image: an ellipse (semi-axes a >= b, turned by angle) with its nuclei. */
export interface Cell {
  readonly kind: CellClass;
  readonly cx: number;
  readonly cy: number;
  readonly a: number;
  readonly b: number;
  readonly angle: number;
  readonly nuclei: readonly Blob[];
  /** Seeds the cell's grain, so a cell looks the same whenever it is drawn. */
  readonly grain: number;
}

/** An RGBA picture of one cell and where its top-left corner goes. */
export interface Sprite {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly top: number;
}

/**
 * The five classes of the synthetic cytology data sets, drawn after a Giemsa-stained smear (purple
 * nuclei, pink to lilac cytoplasm); sizes assume about 0.25 µm per pixel.
 */
export const CELL_CLASSES: readonly CellClass[] = [
  {
    label: 'Lymphocyte',
    color: '#4C6EF5',
    weight: 40,
    radius: [13, 16],
    aspect: [0.88, 1],
    cytoplasm: [196, 172, 220],
    nucleus: [62, 38, 118],
    nuclei: (r) => [{ x: r.between(-0.06, 0.06), y: r.between(-0.06, 0.06), rx: 0.74, ry: 0.7 }],
  },
  {
    label: 'Neutrophil',
    color: '#F59F00',
    weight: 25,
    radius: [20, 24],
    aspect: [0.85, 1],
    cytoplasm: [232, 196, 218],
    nucleus: [84, 46, 128],
    nuclei: (r) => {
      const turn = r.between(0, Math.PI * 2);
      return [0, 1, 2].map((i) => {
        const t = turn + (i * Math.PI * 2) / 3 + r.between(-0.3, 0.3);
        return { x: 0.32 * Math.cos(t), y: 0.32 * Math.sin(t), rx: 0.24, ry: 0.2 };
      });
    },
  },
  {
    label: 'Macrophage',
    color: '#37B24D',
    weight: 15,
    radius: [32, 42],
    aspect: [0.7, 0.95],
    cytoplasm: [214, 188, 212],
    nucleus: [98, 66, 142],
    nuclei: (r) => [
      { x: 0.28, y: -0.14 + r.between(-0.04, 0.04), rx: 0.34, ry: 0.26 },
      { x: 0.3, y: 0.16 + r.between(-0.04, 0.04), rx: 0.3, ry: 0.24 },
    ],
  },
  {
    label: 'Epithelial cell',
    color: '#E64980',
    weight: 15,
    radius: [44, 60],
    aspect: [0.55, 0.85],
    cytoplasm: [228, 164, 192],
    nucleus: [104, 60, 140],
    nuclei: (r) => [{ x: r.between(-0.1, 0.1), y: r.between(-0.05, 0.05), rx: 0.24, ry: 0.19 }],
  },
  {
    label: 'Mitotic figure',
    color: '#F03E3E',
    weight: 5,
    radius: [20, 26],
    aspect: [0.85, 1],
    cytoplasm: [206, 162, 202],
    nucleus: [36, 20, 72],
    // Condensed chromosomes lined up on the metaphase plate: a band of small dark clumps.
    nuclei: (r) =>
      Array.from({ length: r.int(8, 12) }, () => ({
        x: r.between(-0.14, 0.14),
        y: r.between(-0.55, 0.55),
        rx: r.between(0.08, 0.13),
        ry: r.between(0.08, 0.13),
      })),
  },
];

/** Draws a cell of `kind` at (cx, cy). */
export function makeCell(random: Random, kind: CellClass, cx: number, cy: number): Cell {
  const a = random.between(kind.radius[0], kind.radius[1]);
  return {
    kind,
    cx,
    cy,
    a,
    b: a * random.between(kind.aspect[0], kind.aspect[1]),
    angle: random.between(0, Math.PI),
    nuclei: kind.nuclei(random),
    grain: random.int(0, 0x7fffffff),
  };
}

/** Half width and half height of the cell's (turned) ellipse. */
function extents(cell: Cell): { hw: number; hh: number } {
  const cos = Math.cos(cell.angle);
  const sin = Math.sin(cell.angle);
  return {
    hw: Math.sqrt((cell.a * cos) ** 2 + (cell.b * sin) ** 2),
    hh: Math.sqrt((cell.a * sin) ** 2 + (cell.b * cos) ** 2),
  };
}

/** The cell's bounding box in whole pixels, as its box annotation. */
export function cellBox(cell: Cell): { x1: number; y1: number; x2: number; y2: number } {
  const { hw, hh } = extents(cell);
  return {
    x1: Math.floor(cell.cx - hw),
    y1: Math.floor(cell.cy - hh),
    x2: Math.ceil(cell.cx + hw),
    y2: Math.ceil(cell.cy + hh),
  };
}

const clamp01 = (v: number) => (v < 0 ? 0 : v > 1 ? 1 : v);

/**
 * Renders a cell as a soft-edged ellipse (a one-pixel blend at the membrane, so edges do not alias)
 * with a darker rim, grainy cytoplasm and its nuclei.
 */
export function renderCell(cell: Cell): Sprite {
  const { hw, hh } = extents(cell);
  const left = Math.floor(cell.cx - hw) - 2;
  const top = Math.floor(cell.cy - hh) - 2;
  const width = Math.ceil(cell.cx + hw) + 2 - left;
  const height = Math.ceil(cell.cy + hh) + 2 - top;
  const data = Buffer.alloc(width * height * 4);
  const cos = Math.cos(cell.angle);
  const sin = Math.sin(cell.angle);
  let grain = cell.grain;
  const { cytoplasm: c, nucleus: n } = cell.kind;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const dx = left + x + 0.5 - cell.cx;
      const dy = top + y + 0.5 - cell.cy;
      const u = dx * cos + dy * sin;
      const v = -dx * sin + dy * cos;
      const d = Math.sqrt((u / cell.a) ** 2 + (v / cell.b) ** 2);
      const alpha = clamp01((1 - d) * cell.b + 0.5);
      if (alpha === 0) continue;
      let chromatin = 0;
      for (const blob of cell.nuclei) {
        const du = (u / cell.a - blob.x) / blob.rx;
        const dv = (v / cell.a - blob.y) / blob.ry;
        const inside = clamp01((1 - Math.sqrt(du * du + dv * dv)) * blob.rx * cell.a + 0.5);
        if (inside > chromatin) chromatin = inside;
      }
      // A cheap integer hash as grain: the same cell gives the same pixels.
      grain = (Math.imul(grain ^ (grain >>> 13), 0x5bd1e995) + 0x6b43a9b5) | 0;
      const noise = ((grain >>> 24) / 255 - 0.5) * 0.08;
      const rim = clamp01(1 - Math.abs(1 - d) * cell.b * 0.5) * 0.12;
      const shade = 1 - rim + noise;
      const o = (y * width + x) * 4;
      for (let k = 0; k < 3; k++) {
        const mixed = (c[k] ?? 0) * (1 - chromatin * 0.95) + (n[k] ?? 0) * chromatin * 0.95;
        data[o + k] = Math.max(0, Math.min(255, Math.round(mixed * shade)));
      }
      data[o + 3] = Math.round(alpha * 255);
    }
  }
  return { data, width, height, left, top };
}

/**
 * Places up to `count` cells in a width x height image without overlaps (rejection sampling on a
 * grid), keeping `margin` pixels from the borders. Classes are drawn by weight.
 */
export function placeCells(
  random: Random,
  o: { width: number; height: number; count: number; margin?: number; classes?: readonly CellClass[] },
): Cell[] {
  const classes = o.classes ?? CELL_CLASSES;
  const margin = o.margin ?? 8;
  const bucket = 128;
  const grid = new Map<number, Cell[]>();
  const columns = Math.ceil(o.width / bucket);
  const cells: Cell[] = [];
  const biggest = Math.max(...classes.map((k) => k.radius[1]));
  const reach = Math.ceil((2 * biggest + 6) / bucket);
  const weights = classes.map((k) => [k, k.weight] as const);
  for (let attempt = 0; attempt < o.count * 20 && cells.length < o.count; attempt++) {
    const kind = random.weighted(weights);
    const r = kind.radius[1] + margin;
    const cell = makeCell(random, kind, random.between(r, o.width - r), random.between(r, o.height - r));
    const gx = Math.floor(cell.cx / bucket);
    const gy = Math.floor(cell.cy / bucket);
    let free = true;
    for (let y = gy - reach; y <= gy + reach && free; y++) {
      for (let x = gx - reach; x <= gx + reach && free; x++) {
        for (const other of grid.get(y * columns + x) ?? []) {
          if (Math.hypot(other.cx - cell.cx, other.cy - cell.cy) < other.a + cell.a + 6) free = false;
        }
      }
    }
    if (!free) continue;
    cells.push(cell);
    const key = gy * columns + gx;
    grid.set(key, [...(grid.get(key) ?? []), cell]);
  }
  return cells;
}
