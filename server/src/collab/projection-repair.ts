import { isStorableText, toStorableText } from '@tessera/shared';
import { isPgDataException } from '../db/sqlstate.js';
import type { ProjectedAnnotation } from './projection.repo.js';

/** What a projection write left out or changed of its annotations, by uuid. */
export interface ProjectionDamage {
  /** Rows written with unstorable text replaced by U+FFFD (the document keeps its value). */
  readonly repaired: string[];
  /** Rows PostgreSQL refused even alone: not projected, so they cannot hold back their neighbours. */
  readonly quarantined: string[];
}

/**
 * The row with text PostgreSQL cannot store (NUL, lone surrogates) replaced, or the row itself when it
 * holds none. Documents written before the validator refused such text still hold it; without this
 * their rows were refused (22P05) a whole slice at a time on every load.
 */
export function storableRow(row: ProjectedAnnotation): ProjectedAnnotation {
  const description = isStorableText(row.description) ? row.description : toStorableText(row.description);
  const meta = storableJson(row.meta);
  if (description === row.description && meta === row.meta) return row;
  return { ...row, description, meta };
}

/** A JSON value with its strings and keys made storable; the same value when nothing needed it. */
function storableJson(value: unknown): unknown {
  if (typeof value === 'string') return isStorableText(value) ? value : toStorableText(value);
  if (Array.isArray(value)) {
    const items = (value as unknown[]).map(storableJson);
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  if (typeof value !== 'object' || value === null) return value;
  let changed = false;
  const fixed: [string, unknown][] = [];
  for (const [key, item] of Object.entries(value)) {
    const entry: [string, unknown] = [storableJson(key) as string, storableJson(item)];
    if (entry[0] !== key || entry[1] !== item) changed = true;
    fixed.push(entry);
  }
  return changed ? Object.fromEntries(fixed) : value;
}

/**
 * Writes one slice of rows with `write` so that no single annotation can keep the others out of the
 * projection: unstorable text is repaired first, and a slice PostgreSQL still
 * refuses for its data (SQLSTATE class 22) is written again row by row, leaving out only the rows
 * refused alone. Other failures (a lost connection) are thrown as before.
 */
export async function writeIsolated(
  rows: readonly ProjectedAnnotation[],
  write: (rows: readonly ProjectedAnnotation[]) => Promise<void>,
): Promise<ProjectionDamage> {
  const damage: ProjectionDamage = { repaired: [], quarantined: [] };
  const storable = rows.map((row) => {
    const fixed = storableRow(row);
    if (fixed !== row) damage.repaired.push(row.uuid);
    return fixed;
  });
  try {
    await write(storable);
  } catch (error) {
    if (!isPgDataException(error)) throw error;
    for (const row of storable) {
      try {
        await write([row]);
      } catch (rowError) {
        if (!isPgDataException(rowError)) throw rowError;
        damage.quarantined.push(row.uuid);
      }
    }
  }
  return damage;
}
