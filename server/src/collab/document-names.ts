/*
 * Names of annotation documents: the grammar lives in shared (the browser names them too).
 */
export {
  baseDocumentName,
  formatDocumentName,
  parseDocumentName,
  type DocumentName,
  type DocumentPart,
} from '@tessera/shared';

/** Part of a name after the image (or copy): `.regions` or `.region.<x>.<y>` (SQL regex). */
const PART = '(\\.regions|\\.region\\.[0-9]{1,7}\\.[0-9]{1,7})?';

/**
 * PostgreSQL regular expressions of stored document names, for SQL that finds documents by name (the
 * image id is always the second dot-separated field: `split_part(document, '.', 2)`).
 */
export const DOCUMENT_NAME = `^image\\.[0-9]{1,10}(\\.user\\.[0-9]{1,10})?${PART}$`;
/** A reader's blind copy, whole or one of its parts. */
export const READER_COPY_NAME = `^image\\.[0-9]{1,10}\\.user\\.[0-9]{1,10}${PART}$`;
/** The name of an index or region document (what an image with regions serves, G6). */
export const DOCUMENT_PART = `\\.(regions|region\\.[0-9]{1,7}\\.[0-9]{1,7})$`;
