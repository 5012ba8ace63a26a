import { sellerStatuses } from '../../domain/seller-standing.js';
import type { EscalationCase } from '../../services/escalation-service.js';
import { timestamp } from '../schemas.js';
import * as z from '../zod.js';
import { ReportSchema, reportView } from './report-view.js';

const BuyerRecordSchema = z
  .object({
    reportsTotal: z.number().int(),
    upheldTotal: z.number().int(),
    rejectedIn90Days: z.number().int(),
    unprovenIn90Days: z.number().int().openapi({
      description: 'reports upheld without an issuer time, and escalations refunded by default',
    }),
    creditPoor: z.boolean(),
  })
  .openapi('BuyerRecord');

const SellerRecordSchema = z
  .object({
    sellerId: z.string(),
    status: z.enum(sellerStatuses),
    strikes: z.number().int(),
    usedAfterRevealBuyers: z.number().int().openapi({
      description:
        "distinct buyers whose reports found this seller's cards used after the reveal, within SELLER_SUSPICION_DAYS",
    }),
    review: z.enum(['none', 'under_review']),
    reviewSince: timestamp().optional(),
  })
  .openapi('SellerRecord');

/** A report as the dispute desk sees it: with both parties' records. */
export const EscalationCaseSchema = ReportSchema.extend({
  buyerRecord: BuyerRecordSchema,
  sellerRecord: SellerRecordSchema,
}).openapi('EscalationCase');

export function escalationCaseView(c: EscalationCase): z.infer<typeof EscalationCaseSchema> {
  const b = c.buyerRecord;
  const s = c.sellerRecord;
  return {
    ...reportView(c.report),
    buyerRecord: {
      reportsTotal: b.reportsTotal,
      upheldTotal: b.upheldTotal,
      rejectedIn90Days: b.rejectedIn90Days,
      unprovenIn90Days: b.unprovenIn90Days,
      creditPoor: b.creditPoor,
    },
    sellerRecord: {
      sellerId: s.sellerId,
      status: s.status,
      strikes: s.strikes,
      usedAfterRevealBuyers: s.usedAfterRevealBuyers,
      review: s.review,
      ...(s.reviewSince !== undefined ? { reviewSince: s.reviewSince } : {}),
    },
  };
}
