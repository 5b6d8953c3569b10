import { z } from 'zod';
import { id, text } from './common.js';
import { drfIntegerChoice } from './drf-fields.js';

/** EXACT's media file kinds (its MEDIA_FILE_TYPE_CHOICES). */
export const MEDIA_FILE_TYPES = { undefined: 1, image: 2, video: 3, audio: 4 } as const;
export type MediaFileType = (typeof MEDIA_FILE_TYPES)[keyof typeof MEDIA_FILE_TYPES];

export const mediaFileType = z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]);

/** The kind in a request: 1-4, as a number or its text (form fields are always text). */
const mediaFileTypeInput = drfIntegerChoice([1, 2, 3, 4]);

// eslint-disable-next-line no-control-regex -- control characters are what names may not hold
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/** `name` without control characters (a line break in a name could split a header it is sent in). */
export function withoutControlCharacters(name: string): string {
  return name.replace(CONTROL_CHARACTERS, '');
}

/** A media file's display name: its uploader's file name unless one is given. */
const mediaFileName = text()
  .trim()
  .min(1, 'Enter a name.')
  .max(255, 'Ensure this field has no more than 255 characters.')
  .refine((name) => withoutControlCharacters(name) === name, 'A name may not contain control characters.');

/** A file attached to an annotation, as EXACT's REST API shows it; `file` is where its bytes are read. */
export const restAnnotationMediaFile = z
  .object({ id, name: z.string(), media_file_type: mediaFileType, file: z.string(), annotation: id })
  .meta({ id: 'AnnotationMediaFile' });
export type RestAnnotationMediaFile = z.infer<typeof restAnnotationMediaFile>;

/** The form fields of an upload (multipart: `annotation`, `media_file_type`, `name`, and the file). */
export const restAnnotationMediaFileUpload = z.object({
  annotation: id,
  media_file_type: mediaFileTypeInput.optional(),
  name: mediaFileName.optional(),
});
export type RestAnnotationMediaFileUpload = z.infer<typeof restAnnotationMediaFileUpload>;

/** PUT and PATCH (JSON): the name and the kind; the file and its annotation stay. */
export const restAnnotationMediaFileChange = z.object({
  name: mediaFileName,
  media_file_type: mediaFileTypeInput,
});
export type RestAnnotationMediaFileChange = z.infer<typeof restAnnotationMediaFileChange>;

/**
 * The kind a content type belongs to (loosely, by its top-level type), or undefined for any other. A
 * file may be stored as `undefined` (1) whatever it is, and as image, video or audio only when its
 * content type says so.
 */
export function mediaFileTypeOf(contentType: string): MediaFileType | undefined {
  const top = contentType.split('/')[0]?.trim().toLowerCase();
  if (top === 'image') return MEDIA_FILE_TYPES.image;
  if (top === 'video') return MEDIA_FILE_TYPES.video;
  if (top === 'audio') return MEDIA_FILE_TYPES.audio;
  return undefined;
}
