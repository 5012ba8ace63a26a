import { depositOutcomes, depositReasons } from '../../domain/deposit-outcome.js';
import type { DepositResult } from '../../services/deposit-service.js';
import * as z from '../zod.js';

export const DepositResultsSchema = z
  .object({
    results: z.array(
      z.object({
        index: z.number().int(),
        outcome: z.enum(depositOutcomes),
        cardId: z.string().optional(),
        last4: z.string(),
        reason: z.enum(depositReasons).optional(),
      }),
    ),
  })
  .openapi('DepositResults');

export function depositView(results: readonly DepositResult[]): z.infer<typeof DepositResultsSchema> {
  return {
    results: results.map((r) => ({
      index: r.index,
      outcome: r.outcome,
      ...(r.cardId !== undefined ? { cardId: r.cardId } : {}),
      last4: r.last4,
      ...(r.reason !== undefined ? { reason: r.reason } : {}),
    })),
  };
}
