import { apiScopes } from '../domain/api-key.js';
import { PROBLEM_BASE, type ProblemCode, type ProblemType, problemTypes } from './problem-types.js';
import * as z from './zod.js';

/** Ids minted by the vault: `<prefix>_` + 26 Crockford base32 characters. */
export const vaultId = (prefix: string) =>
  z
    .string()
    .regex(
      new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`),
      `must be ${/^[aeiou]/.test(prefix) ? 'an' : 'a'} ${prefix}_ id`,
    );

/**
 * The query of a list whose rows are events (a trail, an endpoint's deliveries): `cursor` is the
 * `nextCursor` of the page before, the id of its last row. The store rebuilds the start key inside
 * the caller's own list, so a cursor can reach no other tenant's or order's rows.
 */
export const eventPageQuery = (defaultLimit: number) =>
  z.object({
    limit: z.coerce.number().int().min(1).max(100).default(defaultLimit),
    cursor: vaultId('evt').optional(),
  });

/**
 * Characters that change how text displays without being seen, or that terminals and logs
 * treat specially: controls (NUL, newline...), format characters (bidi overrides and isolates,
 * zero-width spaces and joiners, BOM, soft hyphen), line and paragraph separators, lone
 * surrogates and private-use characters. A marketplace shows titles to buyers: none of them belongs.
 */
const INVISIBLE_OR_CONTROL = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}]/u;

/** Free text a marketplace shows to people (a listing title): visible characters only. */
export const freeText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !INVISIBLE_OR_CONTROL.test(s), {
      message: 'must not contain control, bidirectional-override or zero-width characters',
    });

/**
 * An operator's decision (settling an escalation, reinstating a seller): why, and who decided. It
 * lands on event trails a dispute desk reads, so it gets the title's rule, line breaks allowed.
 */
export const operatorDecisionFields = {
  note: z
    .string()
    .min(1)
    .max(2000)
    .refine((s) => !INVISIBLE_OR_CONTROL.test(s.replace(/\r?\n/g, '')), {
      message: 'must not contain control, bidirectional-override or zero-width characters',
    }),
  decidedBy: freeText(128),
};

/** Ids chosen by the marketplace (seller, buyer, payment reference). */
export const externalId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'must be 1-128 characters: letters, digits, . _ : -');

/** Integer minor units; safe integers, and a price times MAX_CARDS_PER_ORDER stays one. */
const MAX_MINOR_UNITS = 1_000_000_000_000;

const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code')
  .openapi({ example: 'EUR' });

/** An amount the vault reports (a refund may be 0). */
export const MoneySchema = z
  .strictObject({
    amount: z
      .number()
      .int()
      .nonnegative()
      .max(MAX_MINOR_UNITS)
      .openapi({ description: 'integer minor units', example: 2500 }),
    currency,
  })
  .openapi('Money');

/** A price or a payment: the vault refuses 0, and the document says so (`minimum: 1`). */
export const PositiveMoneySchema = z
  .strictObject({
    amount: z
      .number()
      .int()
      .min(1, 'amount must be greater than zero')
      .max(MAX_MINOR_UNITS)
      .openapi({ description: 'integer minor units, at least 1', example: 2500 }),
    currency,
  })
  .openapi('PositiveMoney');

/** A point in time as the vault writes it: RFC 3339, UTC (`2026-12-02T16:52:03.120Z`). */
export const timestamp = () => z.string().openapi({ format: 'date-time' });

export const idempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1-255 visible ASCII characters')
    // Header names are case-insensitive; the parameter name must equal the schema key.
    .openapi({
      param: {
        name: 'idempotency-key',
        in: 'header',
        description:
          'Makes the request safe to retry. The first request with a key is carried out; a ' +
          'later one with the same key and the same body gets the same answer (status and ' +
          'body) without doing anything again, and one with the same key and another body is ' +
          'refused with `idempotency-key-reused` (422). Keys are per tenant and per operation; ' +
          'send a new key for each new intent (a UUID is fine).',
      },
      example: 'b7f0c2d4-order-1',
    }),
});

/** Path parameters that are vault ids; a malformed id is a validation problem, not a lookup. */
export function idParams<K extends string>(params: Record<K, string>) {
  const shape = Object.fromEntries(
    Object.entries<string>(params).map(([name, prefix]) => [
      name,
      vaultId(prefix).openapi({ param: { name, in: 'path' } }),
    ]),
  ) as Record<K, z.ZodString>;
  return z.object(shape);
}

export const ProblemSchema = z
  .object({
    type: z.string().openapi({
      format: 'uri',
      description: `\`${PROBLEM_BASE}<code>\`; the codes a route may answer are listed on its responses`,
    }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional().openapi({
      format: 'uri',
      description: 'This occurrence (`urn:uuid:...`); the request log line carries the same value',
    }),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: '`validation`: each field that failed and why (values are never echoed)' }),
    // `amount-mismatch`: the order's amount and the amount paid (a described $ref would
    // rewrite the shared Money component's own description, so they are told in the Problem's).
    expected: MoneySchema.optional(),
    received: MoneySchema.optional(),
    available: z.number().int().optional().openapi({ description: '`out-of-stock`: cards on sale' }),
    requested: z.number().int().optional().openapi({ description: '`out-of-stock`: cards asked for' }),
    state: z.string().optional().openapi({ description: 'the current state of what refused' }),
    from: z.string().optional().openapi({ description: 'the state a refused change started from' }),
    to: z.string().optional().openapi({ description: 'the state a refused change went to' }),
    orderId: z.string().optional(),
    listingId: z.string().optional(),
    cardId: z.string().optional(),
    cardIds: z.array(z.string()).optional(),
    reportId: z.string().optional(),
    sellerId: z.string().optional(),
    paymentRef: z.string().optional().openapi({ description: '`payment-reference-reused`' }),
    brand: z.string().optional().openapi({ description: '`unknown-brand`' }),
    field: z.string().optional().openapi({ description: '`validation`: the field at fault' }),
    cursor: z.string().optional().openapi({ description: '`validation`: a cursor this list did not give' }),
    revealedAt: timestamp().optional(),
    disputeDeadline: timestamp().optional().openapi({ description: '`dispute-window-closed`' }),
    openReports: z.number().int().optional().openapi({ description: 'reports under review on the order' }),
    refund: MoneySchema.optional(),
    scope: z.enum(apiScopes).optional().openapi({
      description: '`insufficient-scope`: the scope the call needs (for a GET, `read` also does)',
    }),
    checks: z
      .record(z.string(), z.enum(['up', 'down']))
      .optional()
      .openapi({ description: '`/health`: the state of each dependency' }),
  })
  .openapi('Problem', {
    description:
      'RFC 9457. Extensions by code: `validation` has `errors`; `amount-mismatch` has `expected` ' +
      '(the order amount) and `received` (the amount paid); `out-of-stock` has `available` and ' +
      '`requested`; `deposit-budget-exhausted` has `operatorUnlockRequired` and, for a lock that ' +
      'ends by itself, `lockedUntil`; `state`, `from` and `to` name the state that refused; ids name what it is ' +
      'about; `insufficient-scope` has `scope`; a 503 from `/health` has `checks`. A 5xx has no other extension: its cause is logged.',
  });

/**
 * What any route may answer besides its own codes: the API key, the body limit, a race the
 * vault could not win in its own retries, an outage, a fault, and Node's parser refusals.
 */
const anyRouteProblems = [
  'unauthorized',
  'insufficient-scope',
  'rate-limited',
  'payload-too-large',
  'concurrent-update',
  'dependency-unavailable',
  'internal',
  'malformed-request',
  'request-timeout',
  'headers-too-large',
] as const satisfies readonly ProblemCode[];

/** What a route with path parameters or a query may add: a malformed id is a validation problem. */
export const inputProblems = ['validation'] as const satisfies readonly ProblemCode[];

/** What a route with a JSON body may add. */
export const bodyProblems = [
  'validation',
  'malformed-json',
  'unsupported-media-type',
] as const satisfies readonly ProblemCode[];

/** What a route that takes an Idempotency-Key may add. */
export const idempotencyProblems = [
  'idempotency-key-missing',
  'idempotency-key-invalid',
  'idempotency-key-reused',
] as const satisfies readonly ProblemCode[];

const RetryAfterHeader = z.object({
  // Sent with `concurrent-update`, `dependency-unavailable` and `rate-limited`, not with the other codes of a status.
  'Retry-After': z.string().optional().openapi({
    description: 'Seconds to wait before sending the same request (same Idempotency-Key) again',
    example: '5',
  }),
});

/**
 * A route's problem responses, by code: grouped by status, each status listing its codes in its
 * description and as the `type` values its schema allows, with `Retry-After` where one is sent.
 * The codes every route may answer are added here, so a route names only its own.
 */
export function problems(...codes: ReadonlyArray<ProblemCode | readonly ProblemCode[]>) {
  return problemResponses([...codes.flat(), ...anyRouteProblems], RateLimitHeaders);
}

/** The same for a route that asks for no API key (`security: []`): it never answers 401. */
export function unsecuredProblems(...codes: ReadonlyArray<ProblemCode | readonly ProblemCode[]>) {
  const unlimited = anyRouteProblems.filter(
    (code) => code !== 'unauthorized' && code !== 'insufficient-scope' && code !== 'rate-limited',
  );
  return problemResponses([...codes.flat(), ...unlimited]);
}

/**
 * draft-ietf-httpapi-ratelimit-headers-10, on every answer of a `/v1` route once its API key has
 * matched (shared/http/rate-limit.ts); declared on the problem responses, described in the info.
 */
const RateLimitHeaders = {
  'RateLimit-Policy': z.string().optional().openapi({
    description:
      'The buckets this request drew on (a structured-field list): `q` requests at once, refilled over `w` seconds',
    example: '"tenant";q=100;w=2',
  }),
  RateLimit: z.string().optional().openapi({
    description: 'What is left of each: `r` requests now, full again in `t` seconds',
    example: '"tenant";r=99;t=1',
  }),
};

function problemResponses(codes: readonly ProblemCode[], limitHeaders?: typeof RateLimitHeaders) {
  const all = [...new Set(codes)];
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of all) {
    const { status } = problemTypes[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, statusCodes]) => {
      const types = statusCodes.map((code) => `${PROBLEM_BASE}${code}`) as [string, ...string[]];
      const retry = statusCodes.some((code) => {
        const type: ProblemType = problemTypes[code];
        return type.retryAfterSeconds !== undefined || type.retryAfterVaries === true;
      });
      const headers = { ...(retry ? RetryAfterHeader.shape : {}), ...(limitHeaders ?? {}) };
      return [
        status,
        {
          description: `RFC 9457 problem: ${statusCodes.map((code) => `\`${code}\``).join(', ')}`,
          ...(Object.keys(headers).length > 0 ? { headers: z.object(headers) } : {}),
          content: {
            'application/problem+json': { schema: ProblemSchema.extend({ type: z.enum(types) }) },
          },
        },
      ];
    }),
  );
}

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } };
}
