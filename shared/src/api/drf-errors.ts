import type { z } from 'zod';
import { pythonTypeName as pythonType } from './drf-fields.js';

/** DRF's message for a value of the wrong type, by the type zod expected. */
function wrongTypeMessage(expected: string, input: unknown): string | undefined {
  switch (expected) {
    case 'boolean':
      return 'Must be a valid boolean.';
    case 'int':
      return 'A valid integer is required.';
    case 'number':
      return 'A valid number is required.';
    case 'string':
      return 'Not a valid string.';
    case 'array':
      return `Expected a list of items but got type "${pythonType(input)}".`;
    case 'object':
    case 'record':
      return `Invalid data. Expected a dictionary, but got ${pythonType(input)}.`;
    default:
      return undefined;
  }
}

function tooBigMessage(issue: z.core.$ZodRawIssue<z.core.$ZodIssueTooBig>): string | undefined {
  const n = String(issue.maximum);
  switch (issue.origin) {
    case 'number':
    case 'int':
    case 'bigint':
      return `Ensure this value is less than or equal to ${n}.`;
    case 'string':
      return `Ensure this field has no more than ${n} characters.`;
    case 'array':
    case 'set':
      return `Ensure this field has no more than ${n} elements.`;
    default:
      return undefined;
  }
}

function tooSmallMessage(issue: z.core.$ZodRawIssue<z.core.$ZodIssueTooSmall>): string | undefined {
  const n = String(issue.minimum);
  switch (issue.origin) {
    case 'number':
    case 'int':
    case 'bigint':
      return `Ensure this value is greater than or equal to ${n}.`;
    case 'string':
      return n === '1' ? 'This field may not be blank.' : `Ensure this field has at least ${n} characters.`;
    case 'array':
    case 'set':
      return n === '1' ? 'This list may not be empty.' : `Ensure this field has at least ${n} elements.`;
    default:
      return undefined;
  }
}

function formatMessage(format: string): string | undefined {
  switch (format) {
    case 'uuid':
    case 'guid':
      return 'Must be a valid UUID.';
    case 'email':
      return 'Enter a valid email address.';
    case 'url':
      return 'Enter a valid URL.';
    case 'base64':
      return 'Enter valid base64 text.';
    default:
      return undefined;
  }
}

/** The value's text as Python's str() prints it in DRF's choice message. */
function choiceText(input: unknown): string {
  if (typeof input === 'string') return input;
  if (typeof input === 'boolean') return input ? 'True' : 'False';
  if (input === null || input === undefined) return 'None';
  return typeof input === 'number' ? String(input) : JSON.stringify(input);
}

/**
 * A zod error map that writes Django REST Framework's messages ("This field is required.", "Must be a
 * valid boolean.", "Ensure this value is less than or equal to 10.", ...). Pass it to `safeParse` as
 * `{ error: drfErrorMap }`: zod uses it only where the schema names no message of its own, so a
 * schema's specific message (a colour's form, a refinement) stays.
 */
export const drfErrorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.input === undefined && issue.code === 'invalid_type') return 'This field is required.';
  if (issue.input === null && issue.code === 'invalid_type') return 'This field may not be null.';
  switch (issue.code) {
    case 'invalid_type':
      return wrongTypeMessage(issue.expected, issue.input);
    case 'too_big':
      return tooBigMessage(issue);
    case 'too_small':
      return tooSmallMessage(issue);
    case 'invalid_value':
      return `"${choiceText(issue.input)}" is not a valid choice.`;
    case 'invalid_format':
      return formatMessage(issue.format);
    case 'invalid_union':
      return unionMessage(issue);
    default:
      return undefined;
  }
};

/** A union of literals refused a value: DRF's ChoiceField message. Other unions keep zod's. */
function unionMessage(issue: z.core.$ZodRawIssue<z.core.$ZodIssueInvalidUnion>): string | undefined {
  const branches = issue.errors;
  const choices = branches.length > 0 && branches.every((b) => b.every((i) => i.code === 'invalid_value'));
  return choices ? `"${choiceText(issue.input)}" is not a valid choice.` : undefined;
}
