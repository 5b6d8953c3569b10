// The only module that loads libopenslide (Debian's libopenslide0 3.4.1) through koffi. It mirrors the
// C API one to one and stays typed; the slide logic lives in openslide.ts.
import koffi, { type LibraryHandle } from 'koffi';

/** An `openslide_t *`: koffi 3 represents pointers as BigInt. */
export type OpenSlideHandle = bigint;

type Fn<A extends unknown[], R> = ((...args: A) => R) & {
  async: (...args: [...A, (err: unknown, result: R) => void]) => void;
};

/** Debian's and Ubuntu's name for OpenSlide 3.4.1; the tiler's config may name another file. */
export const DEFAULT_OPENSLIDE_LIBRARY = 'libopenslide.so.0';
const POINTER_SIZE = koffi.sizeof('void *');

/** The raw OpenSlide 3.4.1 C API, as returned by openslideC(). */
export type OpenSlideApi = ReturnType<typeof bindAll>;

let library = DEFAULT_OPENSLIDE_LIBRARY;
// The loaded API, or why it could not be loaded: a missing library is a fact of the machine, so it is
// looked for once, not on every file.
let loaded: { api: OpenSlideApi } | { error: Error } | undefined;

/** Names the library to load (before first use; the tiler passes its configured one). */
export function useOpenSlideLibrary(name: string): void {
  if (name === library) return;
  library = name;
  loaded = undefined;
}

/** Whether libopenslide can be loaded on this machine (loads it on first call). */
export function openslideAvailable(): boolean {
  return 'api' in load();
}

/** The raw OpenSlide C API, loaded on first use so code that never opens a slide needs no libopenslide. */
export function openslideC(): OpenSlideApi {
  const result = load();
  if ('error' in result) throw result.error;
  return result.api;
}

function load(): { api: OpenSlideApi } | { error: Error } {
  if (loaded === undefined) {
    try {
      loaded = { api: bindAll(koffi.load(library)) };
    } catch (err) {
      loaded = {
        error: new Error(`cannot load ${library}: OpenSlide (libopenslide0) is not installed`, {
          cause: err,
        }),
      };
    }
  }
  return loaded;
}

// Strings come back as JS strings and NULL as null. koffi types its functions as taking and returning
// `any`; the declared return type of bind() gives each one its C signature's type here, once.
let opaqueDeclared = false;

function bindAll(lib: LibraryHandle) {
  // koffi's type names are global to the process: declared once, even if another library is loaded.
  if (!opaqueDeclared) koffi.opaque('openslide_t');
  opaqueDeclared = true;
  const bind = <A extends unknown[], R>(prototype: string): Fn<A, R> => lib.func(prototype);
  return {
    getVersion: bind<[], string>('const char *openslide_get_version(void)'),
    detectVendor: bind<[string], string | null>('const char *openslide_detect_vendor(const char *filename)'),
    open: bind<[string], OpenSlideHandle | null>('openslide_t *openslide_open(const char *filename)'),
    close: bind<[OpenSlideHandle], undefined>('void openslide_close(openslide_t *osr)'),
    getError: bind<[OpenSlideHandle], string | null>('const char *openslide_get_error(openslide_t *osr)'),
    getLevelCount: bind<[OpenSlideHandle], number>('int32_t openslide_get_level_count(openslide_t *osr)'),
    getLevelDimensions: bind<[OpenSlideHandle, number, [number], [number]], undefined>(
      'void openslide_get_level_dimensions(openslide_t *osr, int32_t level, _Out_ int64_t *w, _Out_ int64_t *h)',
    ),
    getLevelDownsample: bind<[OpenSlideHandle, number], number>(
      'double openslide_get_level_downsample(openslide_t *osr, int32_t level)',
    ),
    getPropertyNames: bind<[OpenSlideHandle], bigint | null>(
      'void *openslide_get_property_names(openslide_t *osr)',
    ),
    getPropertyValue: bind<[OpenSlideHandle, string], string | null>(
      'const char *openslide_get_property_value(openslide_t *osr, const char *name)',
    ),
    getAssociatedImageNames: bind<[OpenSlideHandle], bigint | null>(
      'void *openslide_get_associated_image_names(openslide_t *osr)',
    ),
    getAssociatedImageDimensions: bind<[OpenSlideHandle, string, [number], [number]], undefined>(
      'void openslide_get_associated_image_dimensions(openslide_t *osr, const char *name, _Out_ int64_t *w, _Out_ int64_t *h)',
    ),
    /** Fills `dest` (4 bytes a pixel, premultiplied ARGB as native-endian uint32). */
    readAssociatedImage: bind<[OpenSlideHandle, string, Uint8Array], undefined>(
      'void openslide_read_associated_image(openslide_t *osr, const char *name, void *dest)',
    ),
    /** Fills `dest` (w*h*4 bytes); use `.async` so the decode runs on koffi's worker threads. */
    readRegion: bind<[OpenSlideHandle, Uint8Array, number, number, number, number, number], undefined>(
      'void openslide_read_region(openslide_t *osr, void *dest, int64_t x, int64_t y, int32_t level, int64_t w, int64_t h)',
    ),
  };
}

/** Decodes a NULL-terminated `const char * const *` list, as returned for property and image names. */
export function decodeStringList(list: bigint | null): string[] {
  const out: string[] = [];
  if (list === null) return out;
  for (let offset = 0; ; offset += POINTER_SIZE) {
    const value = koffi.decode(list, offset, 'const char *') as string | null;
    if (value === null) return out;
    out.push(value);
  }
}
