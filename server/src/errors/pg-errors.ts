import { isPgError, SqlState } from '../db/sqlstate.js';
import { AppError } from './app-error.js';

/** Runs a write and turns a unique-constraint violation into a 400 on `field`. */
export async function uniqueField<T>(field: string, message: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isPgError(error, SqlState.uniqueViolation)) throw AppError.invalidField(field, message);
    throw error;
  }
}

/** Runs a delete and turns a foreign-key or RESTRICT violation (something still refers to it) into a 409. */
export async function stillReferenced<T>(message: string, remove: () => Promise<T>): Promise<T> {
  try {
    return await remove();
  } catch (error) {
    if (isPgError(error, SqlState.foreignKeyViolation) || isPgError(error, SqlState.restrictViolation)) {
      throw AppError.conflict(message);
    }
    throw error;
  }
}
