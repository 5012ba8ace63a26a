/** Schemas of the items the report and party stores read. */
import * as z from 'zod/mini';
import { ESCALATION_REASONS, type Escalation, SETTLEMENT_OUTCOMES } from '../../domain/escalation.js';
import {
  type Report,
  type ReportEvidence,
  reportReasons,
  reportStatuses,
  type Settlement,
} from '../../domain/report.js';
import { reportDecisions } from '../../domain/report-decision.js';
import {
  type Penalty,
  reviewOutcomes,
  type SellerEvent,
  sellerEventTypes,
  sellerStatuses,
  type UsedAfterRevealMark,
} from '../../domain/seller-standing.js';
import { answerSignature, entity, issuerState, money, optionalText, text } from './item-schema.js';

const evidence = entity<ReportEvidence>()(
  z.object({
    issuerState,
    redeemedAt: optionalText,
    lastUsedAt: optionalText,
    revealedAt: text,
    checkedAt: text,
    rationale: text,
    answerSignature: z.optional(answerSignature),
  }),
);

const escalation = entity<Escalation>()(
  z.object({
    reason: z.enum(ESCALATION_REASONS),
    deadline: text,
    nextCheckAt: optionalText,
    attempts: z.int(),
  }),
);

const settlement = entity<Settlement>()(
  z.object({ outcome: z.enum(SETTLEMENT_OUTCOMES), by: text, note: optionalText, at: text }),
);

export const reportSchema = entity<Report>()(
  z.object({
    tenantId: text,
    reportId: text,
    orderId: text,
    cardId: text,
    buyerId: text,
    sellerId: optionalText,
    reason: z.enum(reportReasons),
    decision: z.enum(reportDecisions),
    // Reports written before escalations could end were decided at once.
    status: z._default(z.enum(reportStatuses), 'closed'),
    escalation: z.optional(escalation),
    settlement: z.optional(settlement),
    evidence,
    refund: z.optional(money),
    sellerPenalty: z.optional(money),
    createdAt: text,
  }),
);

export const penaltySchema = entity<Penalty>()(
  z.object({
    penaltyId: text,
    eventId: optionalText,
    orderId: text,
    reportId: optionalText,
    cardId: text,
    fine: money,
    at: text,
  }),
);

/** A seller never seen before is active. Balances are attributes of their own (see `balanceAttribute`). */
export const sellerSchema = z.object({
  status: z.optional(z.enum(sellerStatuses)),
  strikeTimes: z.optional(z.array(text)),
  suspendedAt: optionalText,
  unprovenRefunds: z.optional(z.int()),
  cascadePending: z.optional(z.boolean()),
  reinstatedAt: optionalText,
  usedAfterReveal: z.optional(
    z.array(
      entity<UsedAfterRevealMark>()(
        z.object({ buyerId: text, reportId: text, orderId: text, cardId: text, at: text }),
      ),
    ),
  ),
  reviewSince: optionalText,
  reviewBuyers: z.optional(z.int()),
  suspicionResetAt: optionalText,
});

/** What a seller's review left to do (seller-review-service.ts), on the due index while pending. */
export const reviewWorkSchema = z.object({
  tenantId: text,
  sellerId: text,
  at: text,
  kind: z.enum(['reopen', ...reviewOutcomes]),
  /** Present until the work is done. */
  pending: z.optional(z.boolean()),
});

/** A suspended seller on the due index while its cascade is pending (see `keys.pendingCascade`). */
export const pendingCascadeSchema = z.object({ tenantId: text, sellerId: text, suspendedAt: text });

export const sellerEventSchema = entity<SellerEvent>()(
  z.object({
    eventId: text,
    sellerId: text,
    type: z.enum(sellerEventTypes),
    by: text,
    at: text,
    data: z.optional(z.record(z.string(), z.unknown())),
  }),
);

/** One attribute per currency and side (`balHeld_EUR`), so a transaction can ADD to it. */
export const balanceAttribute = /^bal(Held|Avail)_([A-Z]{3})$/;
export const balancesSchema = z.record(z.string(), z.int());

/** Counters start when the buyer's first report is recorded: an absent one is zero. */
export const buyerSchema = z.object({
  reportsTotal: z.optional(z.int()),
  upheld: z.optional(z.int()),
  rejected: z.optional(z.int()),
  escalated: z.optional(z.int()),
  unproven: z.optional(z.int()),
  rejectionTimes: z.optional(z.array(text)),
  withdrawnRejectionTimes: z.optional(z.array(text)),
  unprovenTimes: z.optional(z.array(text)),
});

/** The pointer from a report's id to its place in its order's partition (settle finds it by id). */
export const reportRefSchema = z.object({ orderId: text, cardId: text });

/** An escalation-deadline index row: the projection the sweeper reads. */
export const escalationDueSchema = z.object({ tenantId: text, reportId: text, gsi1sk: text });
