/*
 * Measures document layouts for 100,000 annotations: encoded size, fresh-client load time, heap of
 * one loaded copy, full read, field-level merge, and the validator's cost per small update.
 * Not a test. Run after `npm run build`:
 *   npx tsc -b bench/annotations && node --expose-gc bench/annotations/dist/measure.js [count] [a|b|b4|c|c0|c1]
 * Figures and the choice they support are in README.md.
 */
import * as Y from 'yjs';
import {
  ANNOTATIONS as ANNOTATIONS_NAME,
  annotationsOf,
  createAnnotation,
  listAnnotations,
  readRecord,
  updateFields,
} from '@tessera/shared';
import { alice, bob } from '@tessera/shared/testing';
import type { AnnotationRecord } from '@tessera/shared';
import { validateUpdate } from '@tessera/shared';
import { VectorType } from '@tessera/shared';

// Only Node offers heap figures and a forced GC; reach them without depending on Node's types.
interface Host {
  gc?: () => void;
  process?: { argv: string[]; memoryUsage(): { heapUsed: number } };
}
const host = globalThis as Host;
const count = Number(host.process?.argv[2] ?? 100_000);
const types = new Map([
  [1, { vectorType: VectorType.box }],
  [2, { vectorType: VectorType.box }],
]);

interface Layout {
  name: string;
  /** Fills a document with `n` annotations. */
  build(doc: Y.Doc, n: number): string[];
  /** Moves one annotation on one client and relabels it on another: do both survive? */
  merges(): boolean;
}

const idOf = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
function record(i: number): AnnotationRecord {
  const x = (i % 1000) * 200;
  const y = Math.floor(i / 1000) * 200;
  const at = 1_764_000_000_000 + i;
  return {
    type: 1,
    vector: { x1: x, y1: y, x2: x + 50, y2: y + 50 },
    deleted: false,
    description: '',
    meta: null,
    created: { by: 1, at, generated: false, score: null },
    edited: { by: 1, at },
  };
}

function inBatches(doc: Y.Doc, n: number, write: (i: number) => void): string[] {
  for (let start = 0; start < n; start += 1000) {
    doc.transact(() => {
      for (let i = start; i < Math.min(n, start + 1000); i++) write(i);
    });
  }
  return Array.from({ length: n }, (_, i) => idOf(i));
}

function mergeTest(
  build: (doc: Y.Doc) => string,
  move: (doc: Y.Doc, id: string) => void,
  relabel: typeof move,
) {
  const base = new Y.Doc();
  const id = build(base);
  const [a, b] = [new Y.Doc(), new Y.Doc()];
  Y.applyUpdate(a, Y.encodeStateAsUpdate(base));
  Y.applyUpdate(b, Y.encodeStateAsUpdate(base));
  move(a, id);
  relabel(b, id);
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
  const json = (readRecord(a, id) ?? {}) as Partial<AnnotationRecord>;
  return json.type === 2 && json.vector?.['x1'] === 999;
}

const plain: Layout = {
  name: '(a) one plain JSON value per annotation',
  build: (doc, n) =>
    inBatches(doc, n, (i) => {
      doc.getMap(ANNOTATIONS_NAME).set(idOf(i), record(i));
    }),
  merges: () =>
    mergeTest(
      (doc) => plain.build(doc, 1)[0] ?? '',
      (doc, id) => {
        const map = doc.getMap<AnnotationRecord>(ANNOTATIONS_NAME);
        const old = map.get(id);
        if (old) map.set(id, { ...old, vector: { x1: 999, y1: 0, x2: 1000, y2: 1 } });
      },
      (doc, id) => {
        const map = doc.getMap<AnnotationRecord>(ANNOTATIONS_NAME);
        const old = map.get(id);
        if (old) map.set(id, { ...old, type: 2 });
      },
    ),
};

/** Writes one annotation as a Y.Map of its seven fields (layout (b), the one before the edits map). */
function writeNested(doc: Y.Doc, id: string, fields: AnnotationRecord): void {
  const map = new Y.Map<unknown>();
  doc.getMap<Y.Map<unknown>>(ANNOTATIONS_NAME).set(id, map);
  for (const [key, value] of Object.entries(fields)) map.set(key, value);
}

const nested: Layout = {
  name: '(b) a Y.Map per annotation, 7 keys (the layout before the edits map)',
  build: (doc, n) =>
    inBatches(doc, n, (i) => {
      writeNested(doc, idOf(i), record(i));
    }),
  merges: () =>
    mergeTest(
      (doc) => nested.build(doc, 1)[0] ?? '',
      (doc, id) =>
        doc
          .getMap<Y.Map<unknown>>(ANNOTATIONS_NAME)
          .get(id)
          ?.set('vector', { x1: 999, y1: 0, x2: 1000, y2: 1 }),
      (doc, id) => doc.getMap<Y.Map<unknown>>(ANNOTATIONS_NAME).get(id)?.set('type', 2),
    ),
};

const createOne = (doc: Y.Doc, i: number) => {
  const { created, ...rest } = record(i);
  createAnnotation(doc, { id: idOf(i), ...rest, generated: created.generated, score: created.score }, alice);
};

const overlaid: Layout = {
  name: '(c) the record as created + an edits map of changed fields (chosen)',
  build: (doc, n) =>
    inBatches(doc, n, (i) => {
      createOne(doc, i);
    }),
  merges: () =>
    mergeTest(
      (doc) => overlaid.build(doc, 1)[0] ?? '',
      (doc, id) => updateFields(doc, id, { vector: { x1: 999, y1: 0, x2: 1000, y2: 1 } }, alice),
      (doc, id) => updateFields(doc, id, { type: 2 }, bob),
    ),
};

const overlaidObjects: Layout = {
  name: '(c0) as (c), the record as created stored as a JSON object (2026-11-27) rather than its text',
  build: (doc, n) =>
    inBatches(doc, n, (i) => {
      annotationsOf(doc).set(idOf(i), record(i));
    }),
  merges: () => overlaid.merges(),
};

const overlaidEdited: Layout = {
  name: '(c) as chosen, after every annotation was moved once (2 edits each: vector and stamp)',
  build: (doc, n) =>
    inBatches(doc, n, (i) => {
      createOne(doc, i);
      updateFields(doc, idOf(i), { vector: { x1: 1, y1: 2, x2: 3 + i, y2: 4 } }, bob);
    }),
  merges: () => overlaid.merges(),
};

const grouped: Layout = {
  name: '(b4) a Y.Map per annotation, 4 keys (type, vector, deleted, rest)',
  build: (doc, n) =>
    inBatches(doc, n, (i) => {
      const { type, vector, deleted, ...rest } = record(i);
      const map = new Y.Map<unknown>();
      doc.getMap<Y.Map<unknown>>(ANNOTATIONS_NAME).set(idOf(i), map);
      map.set('type', type);
      map.set('vector', vector);
      map.set('deleted', deleted);
      map.set('rest', rest);
    }),
  merges: () => true, // type and vector are separate keys, as in (b)
};

const heap = () => {
  host.gc?.();
  return host.process?.memoryUsage().heapUsed ?? Number.NaN;
};
const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? 0;
const ms = (value: number) => `${value.toFixed(0)} ms`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

async function gzipSize(bytes: Uint8Array): Promise<number> {
  const stream = new Blob([Buffer.from(bytes)]).stream().pipeThrough(new CompressionStream('gzip'));
  return (await new Response(stream).arrayBuffer()).byteLength;
}

/** p50 and p99 of validating one small move from a client against the big document. */
function validationCost(doc: Y.Doc, ids: string[]): [number, number] {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(doc));
  const times: number[] = [];
  let update: Uint8Array = new Uint8Array();
  client.on('update', (next: Uint8Array) => (update = next)); // what a provider sends
  for (let i = 0; i < 2000; i++) {
    const id = ids[(i * 7919) % ids.length] ?? '';
    updateFields(client, id, { vector: { x1: i, y1: i, x2: i + 10, y2: i + 10 } }, alice);
    const start = performance.now();
    const result = validateUpdate(doc, update, { sender: { userId: 1, role: 'annotator' }, types });
    times.push(performance.now() - start);
    if (!result.ok) throw new Error(result.reason);
    Y.applyUpdate(doc, update);
  }
  times.sort((x, y) => x - y);
  return [times[Math.floor(times.length * 0.5)] ?? 0, times[Math.floor(times.length * 0.99)] ?? 0];
}

function encoded(layout: Layout): { ids: string[]; update: Uint8Array; buildTime: number } {
  const start = performance.now();
  const source = new Y.Doc();
  const ids = layout.build(source, count);
  const buildTime = performance.now() - start;
  const update = Y.encodeStateAsUpdate(source);
  source.destroy();
  return { ids, update, buildTime };
}

async function measure(layout: Layout): Promise<void> {
  const { ids, update, buildTime } = encoded(layout); // the source document is garbage from here on
  const loadOnce = () => {
    const heapBefore = heap();
    const begin = performance.now();
    const doc = new Y.Doc();
    Y.applyUpdate(doc, update);
    const time = performance.now() - begin;
    return { doc, time, heap: heap() - heapBefore };
  };
  const loads: number[] = [];
  for (let run = 0; run < 2; run++) {
    const copy = loadOnce(); // dropped at the end of the iteration, before the next heap figure
    loads.push(copy.time);
    copy.doc.destroy();
  }
  const last = loadOnce();
  loads.push(last.time);
  const loaded = last.doc;
  const heapDelta = last.heap;
  let start = performance.now();
  const listed = Object.keys(annotationsOf(loaded).toJSON()).length;
  const readTime = performance.now() - start;
  start = performance.now();
  if (layout !== plain && layout !== grouped) listAnnotations(loaded);
  const listTime = performance.now() - start;
  const [p50, p99] = layout === overlaid ? validationCost(loaded, ids) : [Number.NaN, Number.NaN];
  console.log(
    [
      layout.name,
      `  annotations ${listed}, encoded ${mb(update.byteLength)} (gzip ${mb(await gzipSize(update))})`,
      `  build ${ms(buildTime)}, fresh load median ${ms(median(loads))} (runs: ${loads.map(ms).join(', ')})`,
      `  heap of one loaded copy ${mb(heapDelta)}, read all as JSON ${ms(readTime)}` +
        (layout !== plain && layout !== grouped ? `, listAnnotations ${ms(listTime)}` : ''),
      `  move + relabel both survive: ${layout.merges() ? 'yes' : 'no'}`,
      Number.isNaN(p50)
        ? ''
        : `  validateUpdate per small move: p50 ${p50.toFixed(3)} ms, p99 ${p99.toFixed(3)} ms`,
    ]
      .filter((line) => line !== '')
      .join('\n'),
  );
  loaded.destroy();
}

console.log(`${count} annotations; heap figures need node --expose-gc`);
const only = host.process?.argv[3];
const layouts = { a: plain, b: nested, b4: grouped, c: overlaid, c0: overlaidObjects, c1: overlaidEdited };
for (const [key, layout] of Object.entries(layouts))
  if (only === undefined || only === key) await measure(layout);
