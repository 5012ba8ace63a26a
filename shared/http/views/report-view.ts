import { z } from '@hono/zod-openapi';
import { recordedIssuerStates } from '../../domain/issuer-check.js';
import { type Report, type ReportEvidence, reportReasons } from '../../domain/report.js';
import { reportDecisions } from '../../domain/report-decision.js';
import { MoneySchema } from '../schemas.js';
import { moneyView } from './money-view.js';

const EvidenceSchema = z.object({
  issuerState: z.enum(recordedIssuerStates),
  redeemedAt: z.string().optional(),
  revealedAt: z.string(),
  checkedAt: z.string(),
  rationale: z.string(),
});

export const ReportSchema = z
  .object({
    reportId: z.string(),
    orderId: z.string(),
    cardId: z.string(),
    buyerId: z.string(),
    reason: z.enum(reportReasons),
    decision: z.enum(reportDecisions),
    evidence: EvidenceSchema,
    refund: MoneySchema.optional(),
    sellerPenalty: MoneySchema.optional(),
    createdAt: z.string(),
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
    revealedAt: e.revealedAt,
    checkedAt: e.checkedAt,
    rationale: e.rationale,
  };
}
