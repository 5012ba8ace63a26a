import * as z from './zod.js';

/** Ids minted by the vault: `<prefix>_` + 26 Crockford base32 characters. */
export const vaultId = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}_[0-9A-HJKMNP-TV-Z]{26}$`), `must be a ${prefix}_ id`);

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

export const MoneySchema = z
  .strictObject({
    amount: z
      .number()
      .int()
      .nonnegative()
      // Safe integers, and a price times MAX_CARDS_PER_ORDER stays one.
      .max(1_000_000_000_000)
      .openapi({ description: 'integer minor units', example: 2500 }),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code')
      .openapi({ example: 'EUR' }),
  })
  .openapi('Money');

export const PositiveMoneySchema = MoneySchema.refine((m) => m.amount > 0, {
  message: 'amount must be greater than zero',
  path: ['amount'],
});

export const idempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, 'must be 1-255 visible ASCII characters')
    // Header names are case-insensitive; the parameter name must equal the schema key.
    .openapi({ param: { name: 'idempotency-key', in: 'header' }, example: 'b7f0c2d4-order-1' }),
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
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
  })
  .openapi('Problem');

/** Problem responses as OpenAPI documents them (the codes are in `type`). */
export function problems(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      { description: 'RFC 9457 problem', content: { 'application/problem+json': { schema: ProblemSchema } } },
    ]),
  );
}

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}

export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } };
}
