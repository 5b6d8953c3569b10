import { inspect } from 'node:util';

/**
 * One plain line saying why a command failed, whatever was thrown: an Error's message (its cause's
 * too), an object's `message` or its contents, a string as is; never "undefined" alone.
 */
export function failureMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause === undefined ? '' : ` (cause: ${failureMessage(error.cause)})`;
    return oneLine(error.message === '' ? error.name : error.message) + cause;
  }
  if (typeof error === 'string') return oneLine(error === '' ? 'failed with an empty message' : error);
  if (error === undefined || error === null) return `failed without saying why (${String(error)} thrown)`;
  if (typeof error === 'object' && 'message' in error && typeof error.message === 'string')
    return oneLine(error.message);
  return oneLine(inspect(error, { breakLength: Infinity, depth: 3 }));
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
