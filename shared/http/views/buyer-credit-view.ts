import type { BuyerCreditView } from '../../services/standing-service.js';
import * as z from '../zod.js';

/** Rejection and unproven times stay inside: the marketplace sees counts and the verdict. */
export const BuyerCreditSchema = z
  .object({
    buyerId: z.string(),
    reportsTotal: z.number().int(),
    upheld: z.number().int(),
    rejected: z.number().int(),
    escalated: z.number().int(),
    unproven: z.number().int().openapi({
      description: 'reports upheld without an issuer redemption time, and escalations refunded by default',
    }),
    creditPoor: z.boolean(),
  })
  .openapi('BuyerCredit');

export function buyerView(b: BuyerCreditView): z.infer<typeof BuyerCreditSchema> {
  return {
    buyerId: b.buyerId,
    reportsTotal: b.reportsTotal,
    upheld: b.upheld,
    rejected: b.rejected,
    escalated: b.escalated,
    unproven: b.unproven,
    creditPoor: b.creditPoor,
  };
}
