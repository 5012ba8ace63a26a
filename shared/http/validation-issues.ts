import type * as z from './zod.js';

export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

type ZodIssue = z.core.$ZodIssue;

/**
 * Validation issues as a problem may publish them: the path and a message that holds no byte
 * of the request. zod's own messages can quote input (an unknown key is listed verbatim, and
 * a client may send a card code as a key), so only messages known to be the schema's survive.
 */
export function validationIssues(issues: readonly ZodIssue[]): ValidationIssue[] {
  return issues.map((issue) => ({ path: pathOf(issue), message: messageOf(issue) }));
}

function pathOf(issue: ZodIssue): string {
  // A record's or a map's key is client input: shown only by position.
  return issue.path.map((segment) => (isSchemaKey(segment) ? String(segment) : '?')).join('.');
}

function isSchemaKey(segment: PropertyKey): boolean {
  return (
    typeof segment === 'number' ||
    (typeof segment === 'string' && /^[A-Za-z][A-Za-z0-9-]{0,63}$/.test(segment))
  );
}

function messageOf(issue: ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.length === 1 ? 'has an unknown field' : `has ${issue.keys.length} unknown fields`;
    case 'invalid_type':
      return `must be ${issue.expected}`;
    case 'too_small':
      return `is too small (minimum ${String(issue.minimum)})`;
    case 'too_big':
      return `is too big (maximum ${String(issue.maximum)})`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
    case 'custom':
      // The schema's own sentence (a regex's or a refinement's message), never the value.
      return issue.message;
    case 'not_multiple_of':
      return `must be a multiple of ${String(issue.divisor)}`;
    default:
      return 'is not valid';
  }
}
