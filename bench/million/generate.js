// Fills an image with the million-annotation scene (layout.js) through the path users take: EXACT's
// bulk create, POST annotations/annotations/ with a list (upsert by unique_identifier), in batches,
// several requests in flight. The server decides where each annotation goes: the image's one document,
// or, for an image with a region size (images.annotation_region_size set before any annotation), the
// document of its region (G1).
//
//   node bench/million/generate.js <base URL> <image id> [count]     (signed in as the bench admin)
//
// Used by bench/million/run.js and by bench/client (BENCH_SCENE=million). BENCH_MILLION_BATCH
// (default 5000, the route takes up to 10,000) and BENCH_MILLION_PARALLEL (default 4) tune it.
import { api, basicAuth } from '../server.js';
import { cellChunks, LABELS } from './layout.js';

const BATCH = Number(process.env.BENCH_MILLION_BATCH ?? 5000);
const PARALLEL = Number(process.env.BENCH_MILLION_PARALLEL ?? 4);

/** The batches of REST writes for `count` cells on `image`; `types` maps a label to its type id. */
function* batches({ image, types, count, width, height, seed }) {
  let batch = [];
  for (const chunk of cellChunks({ count, width, height, seed })) {
    for (const a of chunk) {
      batch.push({ unique_identifier: a.id, image, annotation_type: types.get(a.label), vector: a.vector });
      if (batch.length === BATCH) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Writes the scene into `image` and resolves with { count, seconds, perSecond }. `onProgress` gets the
 * running count. The response (every annotation shaped as EXACT's list shows it) is read and dropped:
 * it is part of the route's cost, as it is for an EXACT client.
 */
export async function fillImage(baseUrl, { image, types, count, width, height, seed = 1, onProgress }) {
  const started = performance.now();
  const source = batches({ image, types, count, width, height, seed });
  let written = 0;
  const worker = async () => {
    for (let next = source.next(); !next.done; next = source.next()) {
      const res = await fetch(`${baseUrl}/api/v1/annotations/annotations/`, {
        method: 'POST',
        headers: { authorization: basicAuth, 'content-type': 'application/json' },
        body: JSON.stringify(next.value),
      });
      if (!res.ok) throw new Error(`bulk create: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      written += next.value.length;
      onProgress?.(written);
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { count: written, seconds, perSecond: written / seconds };
}

/** The scene's five box types in `product` (made once per product); label -> id. */
export async function cellTypes(baseUrl, product) {
  const types = new Map();
  for (const label of LABELS) {
    const type = await api(baseUrl, 'POST', '/annotations/annotation_types/', {
      name: label.name,
      product,
      vector_type: label.vectorType,
      color_code: label.color,
    });
    types.set(label.name, type.id);
  }
  return types;
}

/** The product's types by name (for an image whose product has them already). */
async function typesOfImage(baseUrl, image) {
  const { image_set } = await api(baseUrl, 'GET', `/images/images/${image}/`);
  const set = await api(baseUrl, 'GET', `/images/image_sets/${image_set}/`);
  const types = new Map();
  for (const product of set.product_set ?? []) {
    const list = await api(baseUrl, 'GET', `/annotations/annotation_types/?product=${product}&limit=1000`);
    for (const t of list.results) types.set(t.name, t.id);
  }
  return types;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [baseUrl, image, count = '1000000'] = process.argv.slice(2);
  if (!baseUrl || !image)
    throw new Error('usage: node bench/million/generate.js <base URL> <image id> [count]');
  const types = await typesOfImage(baseUrl, Number(image));
  if (LABELS.some((l) => !types.has(l.name))) throw new Error(`the image's product lacks the cell types`);
  const { width, height } = await api(baseUrl, 'GET', `/images/images/${image}/`);
  let shown = 0;
  const result = await fillImage(baseUrl, {
    image: Number(image),
    types,
    count: Number(count),
    width,
    height,
    onProgress: (n) => {
      if (n - shown >= 100_000) console.log(`${(shown = n)} written`);
    },
  });
  console.log(
    `wrote ${result.count} annotations in ${result.seconds.toFixed(1)} s = ${Math.round(result.perSecond)}/s`,
  );
}
