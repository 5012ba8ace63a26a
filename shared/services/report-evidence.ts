import type { Brand } from '../domain/brand.js';
import type { BuyerCredit } from '../domain/buyer-credit.js';
import { DependencyUnavailableError } from '../domain/errors.js';
import { type Escalation, escalationDeadline, nextEscalationCheckAt } from '../domain/escalation.js';
import type { IssuerCheck, IssuerCheckPurpose } from '../domain/issuer-check.js';
import { type Order, revealCheckConfirmed } from '../domain/order.js';
import { isCreditPoor, unprovenReportsIn90Days } from '../domain/penalty-policy.js';
import type { ReportEvidence } from '../domain/report.js';
import { decideReport, type ReportDecisionResult } from '../domain/report-decision.js';
import type { SellerStanding } from '../domain/seller-standing.js';
import { isSellerSuspected } from '../domain/seller-suspicion.js';
import type { RevealDeps } from './vault-deps.js';

type Deps = Pick<RevealDeps, 'stores' | 'cipher' | 'issuer' | 'settings'>;

/** The issuer's word on one card of the order now; undefined when it cannot be reached. */
export async function askIssuer(
  deps: Deps,
  order: Order,
  cardId: string,
  ask: {
    readonly purpose: Extract<IssuerCheckPurpose, 'report' | 'recheck'>;
    /** The order's brand, when the caller already read it for several cards. */
    readonly brand?: Brand;
  },
): Promise<IssuerCheck | undefined> {
  const knownBrand = ask.brand;
  const [card, brand] = await Promise.all([
    deps.stores.catalog.getCard(order.tenantId, order.listingId, cardId),
    knownBrand ?? deps.stores.tenants.getBrand(order.brand),
  ]);
  if (!card || !brand) return undefined;
  const secret = await deps.cipher.decrypt(card.ciphertext, { tenantId: order.tenantId, cardId });
  try {
    return await deps.issuer.check(brand, secret, { purpose: ask.purpose });
  } catch (error) {
    if (error instanceof DependencyUnavailableError) return undefined;
    throw error;
  }
}

/** The decision table on every piece of evidence the vault holds: a fresh report and a re-ask alike. */
export function decideOnEvidence(
  deps: Pick<Deps, 'settings'>,
  input: {
    order: Order;
    cardId: string;
    issuer: IssuerCheck | undefined;
    buyer: BuyerCredit | undefined;
    seller: SellerStanding | undefined;
  },
  now: Date,
): ReportDecisionResult {
  const card = input.order.cards.find((c) => c.cardId === input.cardId);
  const { settings } = deps;
  return decideReport({
    issuer: input.issuer,
    revealedAt: input.order.revealedAt as string,
    raceWindowSeconds: settings.raceWindowSeconds,
    buyerCreditPoor: isCreditPoor(input.buyer?.rejectionTimes ?? [], now),
    skewSeconds: settings.issuerClockSkewSeconds,
    ...(card?.balanceAtReveal ? { balanceAtReveal: card.balanceAtReveal } : {}),
    // The re-check before reveal confirmed the card live (recorded on the order's card at reveal).
    revealSucceeded: card !== undefined && revealCheckConfirmed(card),
    unprovenReportsIn90Days: unprovenReportsIn90Days(input.buyer?.unprovenTimes ?? [], now),
    sellerSuspected: isSellerSuspected(
      input.seller ?? { usedAfterReveal: [] },
      input.order.buyerId,
      now,
      settings,
    ),
  });
}

export function evidenceOf(
  issuer: IssuerCheck | undefined,
  revealedAt: string,
  rationale: string,
  now: Date,
): ReportEvidence {
  return {
    issuerState: issuer?.state ?? 'unreachable',
    ...(issuer?.redeemedAt ? { redeemedAt: issuer.redeemedAt } : {}),
    ...(issuer?.lastUsedAt ? { lastUsedAt: issuer.lastUsedAt } : {}),
    revealedAt,
    checkedAt: now.toISOString(),
    rationale,
    ...(issuer?.signature ? { answerSignature: issuer.signature } : {}),
  };
}

/** A new escalation: its deadline, and a first re-ask when the issuer did not answer. */
export function openEscalation(
  deps: Pick<Deps, 'settings'>,
  reason: Escalation['reason'],
  now: Date,
): Escalation {
  const { settings } = deps;
  return {
    reason,
    deadline: escalationDeadline(now, settings.escalationDeadlineSeconds),
    ...(reason === 'issuer_unavailable'
      ? {
          nextCheckAt: nextEscalationCheckAt(
            0,
            now,
            settings.escalationRetrySeconds,
            settings.escalationRetryMaxSeconds,
          ),
        }
      : {}),
    attempts: 0,
  };
}
