import type { AnswerSignature } from '../../domain/issuer-answer.js';
import { recordedIssuerStates } from '../../domain/issuer-check.js';
import type { EvidenceFacts } from '../../services/evidence-service.js';
import { MoneySchema, timestamp } from '../schemas.js';
import * as z from '../zod.js';
import { EventSchema } from './events-view.js';
import { moneyView } from './money-view.js';
import { OrderSchema, orderView } from './order-view.js';
import { ReportSchema, reportView } from './report-view.js';
import { RevealContextSchema, revealContextsView } from './reveal-context-view.js';

/** An issuer's signed answer as kept: verifiable from these fields alone (docs/issuer-protocol.md). */
const AnswerSignatureSchema = z
  .object({
    key: z
      .object({
        kty: z.enum(['OKP', 'EC']),
        crv: z.enum(['Ed25519', 'P-256']),
        x: z.string(),
        y: z.string().optional(),
      })
      .openapi({ description: "The issuer's public JWK (Ed25519 or P-256) that verified the answer." }),
    requestId: z.string().openapi({ description: "The vault's request id, signed with the body." }),
    body: z.string().openapi({ description: 'The answer body exactly as the issuer sent it.' }),
    signature: z.string().openapi({
      description: 'base64url, over `card-vault-answer/1` LF requestId LF body (EdDSA, or ES256 as r || s).',
    }),
  })
  .openapi('IssuerAnswerSignature');

/** What the issuer said about one card, and when: at the re-check before reveal, or for a report. */
const IssuerCheckSchema = z
  .object({
    cardId: z.string(),
    when: z.enum(['before_reveal', 'report']),
    checkedAt: timestamp(),
    state: z.enum(recordedIssuerStates),
    balance: MoneySchema.optional(),
    lastUsedAt: timestamp().optional(),
    redeemedAt: timestamp().optional(),
    reportId: z.string().optional(),
    signature: AnswerSignatureSchema.optional(),
  })
  .openapi('IssuerCheck');

export const EvidenceBundleSchema = z
  .object({
    format: z.literal('card-vault-evidence/1'),
    issuedAt: timestamp(),
    order: OrderSchema.extend({
      brand: z.string(),
      unitPrice: MoneySchema,
      faceValue: MoneySchema.optional(),
    }).openapi('EvidenceOrder'),
    trailHead: z.string().optional().openapi({
      description: "The `hash` of the trail's last event, as the order holds it: the trail must end there.",
    }),
    trail: z.array(EventSchema).openapi({
      description:
        'The whole trail in chain order, each event as `GET /v1/orders/{orderId}/events` shows it.',
    }),
    issuerChecks: z.array(IssuerCheckSchema),
    revealContexts: z.array(RevealContextSchema).openapi({
      description:
        'Who revealed: for each trail event with a `buyerContextDigest`, the IP address, user agent, ' +
        'session and device, with the salt that makes the digest; erased after EVIDENCE_RETENTION_DAYS.',
    }),
    reports: z.array(ReportSchema).openapi({ description: 'Every report, with its decision and rationale.' }),
  })
  .openapi('EvidenceBundle');

export type EvidenceBundle = z.infer<typeof EvidenceBundleSchema>;

export const SignedEvidenceSchema = z
  .object({
    bundle: EvidenceBundleSchema,
    jws: z.string().openapi({
      description:
        'JWS compact serialization (RFC 7515), protected header `{"alg":"ES256","kid":…}`, payload the ' +
        'RFC 8785 canonical JSON of `bundle`. Verify with a key of `GET /v1/evidence-keys`.',
    }),
  })
  .openapi('SignedEvidence');

export const EvidenceKeysSchema = z
  .object({
    keys: z.array(
      z.object({
        kty: z.literal('EC'),
        crv: z.literal('P-256'),
        x: z.string(),
        y: z.string(),
        kid: z.string(),
        alg: z.literal('ES256'),
        use: z.literal('sig'),
      }),
    ),
  })
  .openapi('EvidenceKeys');

export function evidenceView(facts: EvidenceFacts): EvidenceBundle {
  const { order } = facts;
  return {
    format: 'card-vault-evidence/1',
    issuedAt: facts.issuedAt,
    order: {
      ...orderView(order),
      brand: order.brand,
      unitPrice: moneyView(order.unitPrice),
      ...(order.faceValue ? { faceValue: moneyView(order.faceValue) } : {}),
    },
    ...(order.trailHead !== undefined ? { trailHead: order.trailHead } : {}),
    trail: [...facts.trail],
    issuerChecks: issuerChecks(facts),
    revealContexts: revealContextsView(facts.trail, facts.revealContexts),
    reports: facts.reports.map(reportView),
  };
}

function issuerChecks({ order, reports }: EvidenceFacts): z.infer<typeof IssuerCheckSchema>[] {
  const beforeReveal = order.cards.flatMap((c) =>
    c.issuerStateAtReveal !== undefined && order.revealedAt !== undefined
      ? [
          {
            cardId: c.cardId,
            when: 'before_reveal' as const,
            checkedAt: order.revealedAt,
            state: c.issuerStateAtReveal,
            ...(c.balanceAtReveal ? { balance: moneyView(c.balanceAtReveal) } : {}),
            ...(c.answerSignatureAtReveal ? { signature: signatureView(c.answerSignatureAtReveal) } : {}),
          },
        ]
      : [],
  );
  const forReports = reports.map((r) => ({
    cardId: r.cardId,
    when: 'report' as const,
    checkedAt: r.evidence.checkedAt,
    state: r.evidence.issuerState,
    ...(r.evidence.lastUsedAt !== undefined ? { lastUsedAt: r.evidence.lastUsedAt } : {}),
    ...(r.evidence.redeemedAt !== undefined ? { redeemedAt: r.evidence.redeemedAt } : {}),
    reportId: r.reportId,
    ...(r.evidence.answerSignature ? { signature: signatureView(r.evidence.answerSignature) } : {}),
  }));
  return [...beforeReveal, ...forReports];
}

function signatureView(s: AnswerSignature): z.infer<typeof AnswerSignatureSchema> {
  return { key: { ...s.key }, requestId: s.requestId, body: s.body, signature: s.signature };
}
