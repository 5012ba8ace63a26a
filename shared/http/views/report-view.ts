import { ESCALATION_REASONS, type Escalation, SETTLEMENT_OUTCOMES } from '../../domain/escalation.js';
import { recordedIssuerStates } from '../../domain/issuer-check.js';
import {
  type Report,
  type ReportEvidence,
  reportReasons,
  reportStatuses,
  type Settlement,
} from '../../domain/report.js';
import { reportDecisions } from '../../domain/report-decision.js';
import { MoneySchema, timestamp } from '../schemas.js';
import * as z from '../zod.js';
import { moneyView } from './money-view.js';

const EvidenceSchema = z.object({
  issuerState: z.enum(recordedIssuerStates),
  redeemedAt: timestamp().optional(),
  lastUsedAt: timestamp()
    .optional()
    .openapi({ description: "the issuer's time of the card's latest spend or redemption, when it gave one" }),
  revealedAt: timestamp(),
  checkedAt: timestamp(),
  rationale: z.string(),
});

const EscalationSchema = z.object({
  reason: z.enum(ESCALATION_REASONS),
  deadline: timestamp().openapi({
    description:
      "past it, the reason's default applies: buyer_credit_poor and unproven_history are rejected " +
      '(rejected_unproven), every other reason refunded without a seller penalty (refunded_unproven)',
  }),
  nextCheckAt: z
    .string()
    .optional()
    .openapi({ description: 'next re-ask of the issuer (issuer_unavailable)' }),
  attempts: z.number().int(),
});

const SettlementSchema = z.object({
  outcome: z.enum(SETTLEMENT_OUTCOMES),
  by: z.string(),
  note: z.string().optional(),
  at: timestamp(),
});

export const ReportSchema = z
  .object({
    reportId: z.string(),
    orderId: z.string(),
    cardId: z.string(),
    buyerId: z.string(),
    reason: z.enum(reportReasons),
    decision: z.enum(reportDecisions),
    status: z.enum(reportStatuses).openapi({ description: 'open: escalated and undecided' }),
    escalation: EscalationSchema.optional(),
    settlement: SettlementSchema.optional(),
    evidence: EvidenceSchema,
    refund: MoneySchema.optional(),
    sellerPenalty: MoneySchema.optional(),
    createdAt: timestamp(),
  })
  .openapi('Report');

export function reportView(report: Report): z.infer<typeof ReportSchema> {
  return {
    reportId: report.reportId,
    orderId: report.orderId,
    cardId: report.cardId,
    buyerId: report.buyerId,
    reason: report.reason,
    decision: report.decision,
    status: report.status,
    ...(report.escalation ? { escalation: escalationView(report.escalation) } : {}),
    ...(report.settlement ? { settlement: settlementView(report.settlement) } : {}),
    evidence: evidenceView(report.evidence),
    ...(report.refund ? { refund: moneyView(report.refund) } : {}),
    ...(report.sellerPenalty ? { sellerPenalty: moneyView(report.sellerPenalty) } : {}),
    createdAt: report.createdAt,
  };
}

function evidenceView(e: ReportEvidence): z.infer<typeof EvidenceSchema> {
  return {
    issuerState: e.issuerState,
    ...(e.redeemedAt !== undefined ? { redeemedAt: e.redeemedAt } : {}),
    ...(e.lastUsedAt !== undefined ? { lastUsedAt: e.lastUsedAt } : {}),
    revealedAt: e.revealedAt,
    checkedAt: e.checkedAt,
    rationale: e.rationale,
  };
}

function escalationView(e: Escalation): z.infer<typeof EscalationSchema> {
  return {
    reason: e.reason,
    deadline: e.deadline,
    ...(e.nextCheckAt !== undefined ? { nextCheckAt: e.nextCheckAt } : {}),
    attempts: e.attempts,
  };
}

function settlementView(s: Settlement): z.infer<typeof SettlementSchema> {
  return { outcome: s.outcome, by: s.by, ...(s.note !== undefined ? { note: s.note } : {}), at: s.at };
}
