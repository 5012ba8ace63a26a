import { PROBLEM_BASE } from '../../shared/http/problem-types.js';
import type { JsonSchema } from './declared-keys.js';

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: JsonSchema }> }>;
}

interface Document {
  paths?: Record<string, Record<string, Operation>>;
}

/**
 * Holds every answer to what `/openapi.json` declares for its operation (issue 9): the status
 * must be declared, and a problem's code must be among the codes that status lists. The test
 * stack runs each of its requests through it, so every end-to-end test checks the contract.
 */
export class DeclaredResponses {
  private readonly operations: Array<{ method: string; pattern: RegExp; path: string; operation: Operation }>;

  constructor(document: Document) {
    this.operations = Object.entries(document.paths ?? {}).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`),
        operation,
      })),
    );
  }

  /** Why the answer breaks the document, or undefined (also for a path no operation serves). */
  violation(method: string, url: string, status: number, body: unknown): string | undefined {
    const path = url.split('?')[0] ?? url;
    const match = this.operations.find((o) => o.method === method.toUpperCase() && o.pattern.test(path));
    if (match === undefined) return undefined;
    const where = `${match.method} ${match.path}`;
    const declared = match.operation.responses?.[String(status)];
    if (declared === undefined) return `${where} answered ${status}, which it does not declare`;
    const code = problemCode(body);
    if (code === undefined) return undefined;
    const codes = declaredCodes(declared.content?.['application/problem+json']?.schema);
    if (!codes.includes(code)) {
      return `${where} answered ${status} ${code}, which it does not declare (declared: ${codes.join(', ')})`;
    }
    return undefined;
  }
}

function problemCode(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const type = (body as { type?: unknown }).type;
  return typeof type === 'string' && type.startsWith(PROBLEM_BASE)
    ? type.slice(PROBLEM_BASE.length)
    : undefined;
}

function declaredCodes(schema: JsonSchema | undefined): string[] {
  const members = schema?.allOf ?? (schema ? [schema] : []);
  return members.flatMap((m) =>
    (m.properties?.type?.enum ?? []).map((uri) => String(uri).slice(PROBLEM_BASE.length)),
  );
}
