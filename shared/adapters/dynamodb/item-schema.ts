/**
 * Building blocks of the item schemas (one per item kind read from the table, in the
 * `*-item-schemas.ts` files), so a malformed item fails in the adapter, named (see `parseItem`),
 * and not deep in a service.
 *
 * Why zod/mini and not hand-written mappers: the item kinds are nested (money, evidence,
 * validation, refunds due) and a schema states each in a line where a mapper needs a check per
 * field. Every Lambda bundle already carries zod's core (config reads env with zod), and zod/mini's
 * functions add only what is used here: these schemas cost each bundle about 5 KB minified,
 * 1.7 KB gzipped (`npm run bundle:report`), where classic zod's methods would not tree-shake.
 * `entity<T>()` holds each schema to its domain type at compile time; enums come from the
 * domain's own `as const` vocabularies, so they cannot drift.
 */
import * as z from 'zod/mini';
import type { AnswerSignature, IssuerAnswerKey } from '../../domain/issuer-answer.js';
import { recordedIssuerStates } from '../../domain/issuer-check.js';
import type { Money } from '../../domain/money.js';
import { refundDueReasons } from '../../domain/order.js';

type Missing<T, S extends z.ZodMiniType> = Exclude<keyof T, keyof z.output<S>>;

/**
 * A schema for domain type `T`: its output must be a `T`, and it must name every field of `T`
 * (parsing drops the attributes a schema does not name, so a forgotten field would vanish).
 */
export const entity =
  <T>() =>
  <S extends z.ZodMiniType<T>>(
    schema: S & ([Missing<T, S>] extends [never] ? unknown : { missing: Missing<T, S> }),
  ) =>
    schema;

export const text = z.string();
export const optionalText = z.optional(z.string());
export const issuerState = z.enum(recordedIssuerStates);

export const money = entity<Money>()(z.object({ amount: z.int(), currency: text }));

export const refundDueReason = z.enum(refundDueReasons);

export const answerKey = entity<IssuerAnswerKey>()(
  z.discriminatedUnion('kty', [
    z.object({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: text }),
    z.object({ kty: z.literal('EC'), crv: z.literal('P-256'), x: text, y: text }),
  ]),
);

/** An issuer's signed answer, kept with the check it proves (docs/issuer-protocol.md). */
export const answerSignature = entity<AnswerSignature>()(
  z.object({ key: answerKey, requestId: text, body: text, signature: text }),
);
