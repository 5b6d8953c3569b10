// The only module that loads libopenslide (Debian's libopenslide0 3.4.1) through koffi. It mirrors the
// C API one to one and stays typed; the slide logic lives in openslide.ts.
import koffi, { type LibraryHandle } from 'koffi';

/** An `openslide_t *`: koffi 3 represents pointers as BigInt. */
export type OpenSlideHandle = bigint;

type Fn<A extends unknown[], R> = ((...args: A) => R) & {
  async: (...args: [...A, (err: unknown, result: R) => void]) => void;
};

const LIBRARY = 'libopenslide.so.0';
const POINTER_SIZE = koffi.sizeof('void *');

/** The raw OpenSlide 3.4.1 C API, as returned by openslideC(). */
export type OpenSlideApi = ReturnType<typeof bindAll>;

let api: OpenSlideApi | undefined;

/** The raw OpenSlide C API, loaded on first use so code that never opens a slide needs no libopenslide. */
export function openslideC(): OpenSlideApi {
  if (api === undefined) {
    let lib: LibraryHandle;
    try {
      lib = koffi.load(LIBRARY);
    } catch (err) {
      throw new Error(
        `cannot load ${LIBRARY}: install Debian's libopenslide0 (apt-get install libopenslide0)`,
        {
          cause: err,
        },
      );
    }
    api = bindAll(lib);
  }
  return api;
}

// Strings come back as JS strings and NULL as null. koffi types its functions as taking and returning
// `any`; the declared return type of bind() gives each one its C signature's type here, once.
function bindAll(lib: LibraryHandle) {
  koffi.opaque('openslide_t');
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
