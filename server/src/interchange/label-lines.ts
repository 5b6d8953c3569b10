import { z } from 'zod';
import { anyVector, vectorPoints } from '@tessera/shared';
import { ImportFormatError, type ImportItem, type ParsedImport } from './import-model.js';

/*
 * EXACT's label lines, one annotation a line: `imagename|typename|{vector}|flags|uuid`, where the
 * vector is EXACT's JSON (`{"x1": 10, "y1": 20, ...}`, or `null` for an image-level label), flags are
 * empty or comma-separated words (`deleted`, `generated`) and the uuid is optional. Blank lines and
 * lines starting with `#` are ignored.
 */

const FLAGS = new Set(['deleted', 'generated']);

/** Parses label lines; a malformed line throws naming it (`line 4: ...`). */
export function parseLabelLines(text: string): ParsedImport {
  const items: ImportItem[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const where = `line ${index + 1}`;
    if (line.trim() === '' || line.startsWith('#')) return;
    const fail = (message: string): never => {
      throw new ImportFormatError(`label lines: ${where}: ${message}`);
    };
    const parts = line.split('|');
    if (parts.length < 3 || parts.length > 5) {
      fail(`expected imagename|typename|{vector}|flags|uuid, found ${parts.length} fields`);
    }
    const [imageName = '', typeName = '', vectorText = '', flagText = '', uuid = ''] = parts.map((p) =>
      p.trim(),
    );
    if (imageName === '') fail('the image name is empty');
    if (typeName === '') fail('the annotation type name is empty');
    let json: unknown;
    try {
      json = JSON.parse(vectorText);
    } catch {
      fail('the vector is not JSON');
    }
    const vector = anyVector.safeParse(json);
    if (!vector.success) fail(`vector: ${vector.error.issues[0]?.message ?? 'invalid'}`);
    const flags = flagText === '' ? [] : flagText.split(',').map((f) => f.trim());
    const unknown = flags.find((f) => !FLAGS.has(f));
    if (unknown !== undefined) fail(`unknown flag "${unknown}" (known: deleted, generated)`);
    if (uuid !== '' && !z.uuid().safeParse(uuid).success) fail(`"${uuid}" is not a UUID`);
    const value = vector.data ?? null;
    const frame = value?.['frame'];
    items.push({
      where,
      imageName,
      typeName,
      shape:
        value === null
          ? null
          : { kind: 'points', points: vectorPoints(value), ...(frame === undefined ? {} : { frame }) },
      ...(uuid === '' ? {} : { uniqueIdentifier: uuid }),
      deleted: flags.includes('deleted'),
      generated: flags.includes('generated'),
    });
  });
  return { items };
}
