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
