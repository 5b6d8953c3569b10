// Opens a servable file: OpenSlide where libopenslide is installed (scanner slides and the converter's
// pyramids alike), otherwise the converter's pyramids through sharp, so ordinary images still work.
import type { ImageSource } from './image-source.js';
import { openslideAvailable } from './openslide.ffi.js';
import { openSlide } from './openslide.js';
import { openPyramidTiff } from './pyramid-tiff.js';

/** Opens `path` for reading; throws SlideError when it cannot be opened. */
export async function openImageSource(path: string): Promise<ImageSource> {
  return openslideAvailable() ? openSlide(path) : openPyramidTiff(path);
}
