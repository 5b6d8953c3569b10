// JPEG decoding at 1/2, 1/4 or 1/8 scale (libjpeg's DCT-domain scaling, libvips' jpegload "shrink"),
// which sharp's API cannot ask for at exactly those factors (it halves its shrink-on-load factor when the
// scale is an exact power of two). Binds, through koffi, the libvips that sharp has already loaded and
// initialised in this process, so there is one libvips, one cache and one thread pool.
//
// CPU a tile of the level between (2 x 2 stored 240-px tiles, encoded at quality 90): 3.8-5.2 ms this
// way, 6.8-7.0 ms with sharp's full decode, join and Lanczos reduce, 9.3-11.4 ms through OpenSlide.
import { readFileSync } from 'node:fs';
import koffi, { type LibraryHandle } from 'koffi';
import './raster.js';
import type { RgbImage } from './image-source.js';

/** libvips' VIPS_FAIL_ON_WARNING: a damaged JPEG fails instead of decoding to grey blocks. */
const FAIL_ON_WARNING = 3;

type Api = ReturnType<typeof bind>;
let loaded: Api | null | undefined;

/** Whether shrunk decoding is available here (sharp's libvips found and bound; Linux only). */
export function shrinkOnLoadAvailable(): boolean {
  return api() !== null;
}

function api(): Api | null {
  if (loaded === undefined) {
    try {
      const path = loadedLibvips();
      loaded = path === null ? null : bind(koffi.load(path));
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

// The libvips sharp loaded (its bundled one or the system's): found among the process's mapped files.
function loadedLibvips(): string | null {
  let maps: string;
  try {
    maps = readFileSync('/proc/self/maps', 'utf8');
  } catch {
    return null;
  }
  const line = maps.split('\n').find((l) => /\/libvips(-cpp)?\.so[.\d]*$/.test(l));
  return line === undefined ? null : line.slice(line.indexOf('/'));
}

function bind(lib: LibraryHandle) {
  return {
    call: lib.func('int vips_call(const char *operation, ...)'),
    blobCopy: lib.func('void *vips_blob_copy(const void *data, size_t length)'),
    areaUnref: lib.func('void vips_area_unref(void *area)'),
    arrayjoin: lib.func('int vips_arrayjoin(void **in, _Out_ void **out, int n, ...)'),
    extractArea: lib.func(
      'int vips_extract_area(void *in, _Out_ void **out, int left, int top, int width, int height, ...)',
    ),
    writeToMemory: lib.func('void *vips_image_write_to_memory(void *in, _Out_ size_t *size)'),
    errorBuffer: lib.func('const char *vips_error_buffer(void)'),
    errorClear: lib.func('void vips_error_clear(void)'),
    unref: lib.func('void g_object_unref(void *object)'),
    free: lib.func('void g_free(void *memory)'),
  };
}

/**
 * Decodes equally sized JPEG tiles at 1/`shrink` scale, joins them (`across` per row, row by row) and
 * returns the top-left width x height as raw RGB. Throws when a tile cannot be decoded.
 */
export async function decodeJoinedShrunk(
  tiles: readonly Buffer[],
  across: number,
  shrink: 2 | 4 | 8,
  width: number,
  height: number,
): Promise<RgbImage> {
  const vips = api();
  if (vips === null) throw new Error('shrunk JPEG decoding is not available');
  const images: unknown[] = [];
  const fail = (): never => {
    const message = String(vips.errorBuffer()).trim();
    vips.errorClear();
    throw new Error(message === '' ? 'libvips failed' : message);
  };
  try {
    for (const tile of tiles) {
      const out: [unknown] = [null];
      // A copy libvips owns: its operation cache may keep the load (and read it lazily) after this call,
      // which a blob over the tile's JS memory would outlive.
      const blob: unknown = vips.blobCopy(tile, tile.length);
      const load = options(['shrink', shrink], ['fail_on', FAIL_ON_WARNING]);
      const status = vips.call('jpegload_buffer', 'void *', blob, '_Out_ void **', out, ...load) as number;
      vips.areaUnref(blob);
      if (status !== 0) fail();
      images.push(out[0]);
    }
    const joined: [unknown] = [null];
    if (vips.arrayjoin(images, joined, images.length, ...options(['across', across])) !== 0) fail();
    images.push(joined[0]);
    const cut: [unknown] = [null];
    if (vips.extractArea(joined[0], cut, 0, 0, width, height, ...options()) !== 0) fail();
    images.push(cut[0]);
    const size: [number] = [0];
    // The decode itself runs here, on a worker thread.
    const memory = await new Promise<unknown>((resolve, reject) => {
      vips.writeToMemory.async(cut[0], size, (err: unknown, result: unknown) => {
        if (err === null || err === undefined) resolve(result);
        else reject(err instanceof Error ? err : new Error('libvips call failed in koffi', { cause: err }));
      });
    });
    if (memory === null) fail();
    try {
      if (size[0] !== width * height * 3)
        throw new Error(`decoded ${size[0]} bytes, not ${width}x${height} RGB`);
      return { width, height, data: Buffer.from(new Uint8Array(koffi.view(memory, size[0]))) };
    } finally {
      vips.free(memory);
    }
  } finally {
    for (const image of images) vips.unref(image);
  }
}

// libvips' optional arguments: name/value pairs closed by NULL, each typed for koffi's variadic call.
function options(...pairs: [string, number][]): unknown[] {
  return [...pairs.flatMap(([name, value]) => ['const char *', name, 'int', value]), 'void *', null];
}
