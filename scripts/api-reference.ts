/**
 * The API reference (docs/api.md), generated from the OpenAPI document so the routes, their
 * bodies, success answers and problem codes are written once: in the route modules.
 */
interface Schema {
  readonly $ref?: string;
  readonly properties?: Record<string, Schema>;
  readonly required?: readonly string[];
  readonly allOf?: readonly Schema[];
  readonly enum?: readonly string[];
}
interface Operation {
  readonly summary?: string;
  readonly security?: readonly Record<string, readonly string[]>[];
  readonly parameters?: readonly {
    readonly name: string;
    readonly in: string;
    readonly required?: boolean;
  }[];
  readonly requestBody?: { readonly content?: Record<string, { readonly schema?: Schema }> };
  readonly responses: Record<
    string,
    { readonly description?: string; readonly content?: Record<string, { readonly schema?: Schema }> }
  >;
}
export interface ReferenceDocument {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components?: { readonly schemas?: Record<string, Schema> };
}

/** Problems any operation may answer (README "The API"): listed once there, not per route. */
export const COMMON_PROBLEMS: readonly string[] = [
  'validation',
  'malformed-json',
  'malformed-request',
  'unsupported-media-type',
  'payload-too-large',
  'headers-too-large',
  'request-timeout',
  'idempotency-key-missing',
  'idempotency-key-invalid',
  'unauthorized',
  'not-found',
  'concurrent-update',
  'rate-limited',
  'dependency-unavailable',
  'internal',
];

const PROBLEM_PREFIX = /^.*\/problems\//;
const METHODS = ['get', 'post', 'patch', 'put', 'delete'];

/** The problem codes an operation declares, in the order of its responses. */
export function declaredProblems(op: Operation): string[] {
  return Object.values(op.responses).flatMap((r) =>
    (r.content?.['application/problem+json']?.schema?.allOf ?? []).flatMap((part) =>
      (part.properties?.type?.enum ?? []).map((uri) => uri.replace(PROBLEM_PREFIX, '')),
    ),
  );
}

function resolve(doc: ReferenceDocument, schema: Schema | undefined): Schema | undefined {
  const ref = schema?.$ref?.replace('#/components/schemas/', '');
  return ref === undefined ? schema : doc.components?.schemas?.[ref];
}

function bodyFields(doc: ReferenceDocument, op: Operation): string {
  const schema = resolve(doc, op.requestBody?.content?.['application/json']?.schema);
  const required = new Set(schema?.required ?? []);
  return Object.keys(schema?.properties ?? {})
    .map((name) => (required.has(name) ? name : `${name}?`))
    .join(', ');
}

function headers(op: Operation): string {
  return (op.parameters ?? [])
    .filter((p) => p.in === 'header' && p.required)
    .map((p) => ` (${p.name})`)
    .join('');
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The reference as markdown: one row per operation, in the document's order. */
export function apiReference(doc: ReferenceDocument): string {
  const rows = Object.entries(doc.paths).flatMap(([path, methods]) =>
    METHODS.filter((m) => methods[m] !== undefined).map((method) => {
      const op = methods[method] as Operation;
      const success = Object.entries(op.responses)
        .filter(([status]) => Number(status) < 400)
        .map(([status, r]) => `${status} ${r.description ?? ''}`.trim())
        .join('; ');
      const problems = [...new Set(declaredProblems(op))].filter((c) => !COMMON_PROBLEMS.includes(c));
      const open = op.security !== undefined && op.security.length === 0 ? ' (no key)' : '';
      return `| ${method.toUpperCase()} ${path}${headers(op)}${open} | ${cell(op.summary ?? '')} | ${cell(
        bodyFields(doc, op),
      )} | ${cell(success)} | ${problems.join(', ')} |`;
    }),
  );
  return [
    '# API reference',
    '',
    '<!-- Generated from /openapi.json by `npm run docs:api`; a test holds it equal. Do not edit. -->',
    '',
    'Every route, its body fields (`?`: optional), its success answer and the problem codes it',
    'declares besides those any route may answer (README "The API"). The full schemas are in',
    '`GET /openapi.json`.',
    '',
    '| method and path | what | body | success | problem codes |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
