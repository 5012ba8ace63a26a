import { randomBytes } from 'node:crypto';
import { type BuyerContext, contextErasedAt, presentContext } from '../domain/buyer-context.js';
import type { Card } from '../domain/card.js';
import {
  AlreadyRevealedError,
  DependencyProtocolError,
  DependencyUnavailableError,
  InvalidStateError,
  NotFoundError,
  PaymentNotClearedError,
  RedeliveriesExhaustedError,
} from '../domain/errors.js';
import { isCardDeadAtReveal } from '../domain/issuer-check.js';
import { isReleasedUnrevealed, type Order } from '../domain/order.js';
import type { RevealCheck } from '../domain/order-transition.js';
import type { OrderTransitions } from '../domain/order-transitions.js';
import { canonicalize } from '../evidence/canonical-json.js';
import type { SealedSecret } from '../ports/code-cipher.js';
import { mapBounded } from './bounded.js';
import { sha256Hex } from './hashing.js';
import type { OrderRunner } from './order-runner.js';
import { refundRefusal } from './reveal-refusals.js';
import type { SuspensionService } from './suspension-service.js';
import type { RevealDeps } from './vault-deps.js';

export interface RevealedCard extends SealedSecret {
  readonly cardId: string;
}

export interface Revelation {
  readonly orderId: string;
  readonly revealedAt: string;
  readonly cards: readonly RevealedCard[];
}

/**
 * Who asks for the code: the marketplace's API call, or the buyer on a hosted reveal link, whose
 * re-deliveries are counted on the link (at most LINK_REDELIVERIES).
 */
export type RevealVia = (
  | { readonly channel: 'api' }
  | {
      readonly channel: 'hosted_page';
      readonly linkId: string;
      /**
       * The press came from a browser that did not reveal through this link (no cookie, no PIN,
       * issue 20): it may make the first reveal, never have the code again.
       */
      readonly otherBrowser?: true;
    }
) & {
  /** Who asked (`buyer-context.ts`): kept apart until EVIDENCE_RETENTION_DAYS, its digest on the trail. */
  readonly buyerContext?: BuyerContext;
};

type Outcome = { kind: 'revealed'; revelation: Revelation } | { kind: 'refunded'; order: Order };

/** The codes opened and re-checked once per reveal call, with the issuer's evidence per card. */
interface Opened {
  readonly secrets: RevealedCard[];
  readonly checks: RevealCheck[];
  readonly dead: string[];
}

/**
 * The single-use reveal (F1, F7, F8) and the buyer's confirmation. A dead code is never shown:
 * the re-check before the claim refunds the buyer and penalises the seller instead.
 */
export class RevealService {
  constructor(
    private readonly deps: Pick<RevealDeps, 'stores' | 'cipher' | 'issuer' | 'clock' | 'settings' | 'logger'>,
    private readonly transitions: OrderTransitions,
    private readonly runner: OrderRunner,
    private readonly suspension: SuspensionService,
  ) {}

  async reveal(
    tenantId: string,
    orderId: string,
    buyerId: string,
    idempotencyKey: string,
    /** Which path asked: recorded on the trail's `order.revealed` (and `order.redelivered`). */
    via: RevealVia = { channel: 'api' },
  ): Promise<Revelation> {
    const { channel } = via;
    const keyHash = sha256Hex(idempotencyKey);
    // Opened and re-checked once: a paid order's cards never change, so a retry after a lost
    // race decides again on the same secrets and the same issuer answer.
    let checked: Promise<Opened> | undefined;
    let kept: Promise<string | undefined> | undefined;
    const outcome = await this.runner.run<Outcome>(tenantId, orderId, async (order, now) => {
      if (order.buyerId !== buyerId) throw new NotFoundError('order not found', { orderId });
      // Stored once, for the order's buyer, only once every refusal is past and before the code
      // can leave: an event's digest never names a context that was not kept, and a refused press
      // (another browser, a spent link, a suspended seller) stores no stranger's address.
      const keptContext = () => {
        kept ??= this.keepContext(tenantId, orderId, via);
        return kept;
      };
      // Released at its reveal deadline, never revealed: still the buyer's to reveal.
      if (order.state !== 'paid' && !isReleasedUnrevealed(order))
        return { done: await this.revealAgain(order, keyHash, now, via, keptContext) };
      // The seller first, on every attempt: a suspended seller's codes are never opened.
      const seller = await this.deps.stores.parties.getSeller(order.tenantId, order.sellerId);
      if (seller?.status === 'suspended') {
        // Suspension refunds paid orders; this one is refunded here if the cascade has not reached it.
        const transition = this.transitions.refundUnrevealed(order, now, {
          actor: 'vault',
          reason: 'seller_suspended',
        });
        return { transition, result: (next) => ({ kind: 'refunded', order: next }) };
      }
      checked ??= this.openAndRecheck(order);
      const { secrets, checks, dead } = await checked;
      const buyerContextDigest = await keptContext();
      // Stamped at the commit, after decryption and the issuer: the race window and the issuer's
      // clock skew are measured from when the buyer really got the code, not seconds before.
      const at = this.deps.clock.now();
      if (dead.length > 0) {
        const transition = this.transitions.refundUnrevealed(order, at, {
          actor: 'vault',
          reason: 'code_dead_before_reveal',
          deadCardIds: dead,
          checks,
        });
        return { transition, result: (next) => ({ kind: 'refunded', order: next }) };
      }
      const transition = this.transitions.reveal(order, at, {
        keyHash,
        disputeWindowSeconds: this.deps.settings.disputeWindowSeconds,
        checks,
        channel,
        ...(buyerContextDigest !== undefined ? { buyerContextDigest } : {}),
      });
      return {
        transition,
        result: (next) => ({ kind: 'revealed', revelation: revelation(next, secrets) }),
      };
    });
    if (outcome.kind === 'revealed') return outcome.revelation;
    if (outcome.order.refundReason === 'code_dead_before_reveal') {
      await this.suspension.afterPenaltySafely(tenantId, outcome.order.sellerId);
    }
    throw refundRefusal(outcome.order);
  }

  /**
   * Already revealed (or closed): a retry of the winning reveal within REVEAL_RETRY_SECONDS gets
   * the code again, with an `order.redelivered` line on the trail; anything else is refused.
   */
  private async revealAgain(
    order: Order,
    keyHash: string,
    now: Date,
    via: RevealVia,
    keptContext: () => Promise<string | undefined>,
  ): Promise<Outcome> {
    if (order.revealedAt === undefined) {
      if (order.state === 'refunded') throw refundRefusal(order);
      throw new PaymentNotClearedError(`the order is ${order.state}: payment has not cleared`, {
        state: order.state,
      });
    }
    const withinRetry =
      now.getTime() - Date.parse(order.revealedAt) <= this.deps.settings.revealRetrySeconds * 1000;
    const elsewhere = via.channel === 'hosted_page' && via.otherBrowser === true;
    if (order.revealKeyHash !== keyHash || !withinRetry || elsewhere) {
      throw new AlreadyRevealedError('the code was already revealed', { revealedAt: order.revealedAt });
    }
    // Counted before anything is opened: a press past the link's count decrypts nothing and
    // writes no trail line, and concurrent presses cannot pass it (one conditional write each).
    if (via.channel === 'hosted_page') await this.claimRedelivery(order, via.linkId);
    const secrets = await this.decryptAll(order);
    const buyerContextDigest = await keptContext();
    // Recorded before the code leaves: a re-delivery the trail does not show never happens.
    await this.deps.stores.orders.appendEvent(
      order.tenantId,
      this.transitions.redelivered(order, now, via.channel, buyerContextDigest),
    );
    return { kind: 'revealed', revelation: revelation(order, secrets) };
  }

  /** Stores the request's buyer context, if any, and answers the digest its event will carry. */
  private async keepContext(tenantId: string, orderId: string, via: RevealVia): Promise<string | undefined> {
    const context = presentContext(via.buyerContext);
    if (context === undefined) return undefined;
    const salt = randomBytes(16).toString('hex');
    const digest = sha256Hex(canonicalize({ context, salt }));
    const recordedAt = this.deps.clock.now();
    await this.deps.stores.orders.putRevealContext({
      tenantId,
      orderId,
      digest,
      salt,
      source: via.channel,
      context,
      recordedAt: recordedAt.toISOString(),
      erasedAt: contextErasedAt(recordedAt, this.deps.settings.evidenceRetentionDays).toISOString(),
    });
    return digest;
  }

  private async claimRedelivery(order: Order, linkId: string): Promise<void> {
    const max = this.deps.settings.linkRedeliveries;
    const counted = await this.deps.stores.links.claimRedelivery(order.tenantId, linkId, max);
    if (counted === undefined) {
      throw new RedeliveriesExhaustedError('this link has shown the code again as often as it may', {
        orderId: order.orderId,
      });
    }
  }

  private async openAndRecheck(order: Order): Promise<Opened> {
    // The brand and listing reads need no secret: they run while the codes are opened.
    const [secrets, reference] = await Promise.all([this.decryptAll(order), this.recheckReference(order)]);
    const { checks, dead } = await this.recheck(order, secrets, reference);
    return { secrets, checks, dead };
  }

  /** What the re-check compares against (brand, face value); none when no re-check runs. */
  private async recheckReference(order: Order) {
    if (this.deps.settings.revalidateBeforeReveal === 'off') return undefined;
    // The order keeps the listing's face value; only an order placed before that reads the listing.
    const [brand, faceValue] = await Promise.all([
      this.deps.stores.tenants.getBrand(order.brand),
      order.faceValue ??
        this.deps.stores.catalog.getListing(order.tenantId, order.listingId).then((l) => l?.faceValue),
    ]);
    return { brand, faceValue };
  }

  private async decryptAll(order: Order): Promise<RevealedCard[]> {
    return mapBounded(order.cards, 8, async ({ cardId }) => {
      const card = await this.card(order, cardId);
      const secret = await this.deps.cipher.decrypt(card.ciphertext, { tenantId: order.tenantId, cardId });
      return { cardId, ...secret };
    });
  }

  /**
   * F7: what the issuer says of each card now, and which are dead: not active, or active with
   * less than the listing's face value left (spent in part before the sale). `best-effort`: an
   * unreachable issuer does not block the buyer, and is recorded as such; a misbehaving one
   * (answering, but against the protocol) does, as under `strict`: an issuer that answers
   * nonsense could as well be hiding a redemption.
   */
  private async recheck(
    order: Order,
    secrets: readonly RevealedCard[],
    reference: Awaited<ReturnType<RevealService['recheckReference']>>,
  ): Promise<Omit<Opened, 'secrets'>> {
    const policy = this.deps.settings.revalidateBeforeReveal;
    if (reference === undefined) return { checks: [], dead: [] };
    const { brand, faceValue } = reference;
    if (!brand) return { checks: [], dead: [] };
    if (!faceValue)
      throw new InvalidStateError('the listing of this order is missing', { orderId: order.orderId });
    const checks = await mapBounded(secrets, 8, async (secret): Promise<RevealCheck & { dead: boolean }> => {
      const { cardId } = secret;
      try {
        const check = await this.deps.issuer.check(brand, secret, { purpose: 'reveal' });
        const dead = isCardDeadAtReveal(check, faceValue);
        return {
          cardId,
          issuerState: check.state,
          ...(check.balance ? { balance: check.balance } : {}),
          ...(check.signature ? { signature: check.signature } : {}),
          dead,
        };
      } catch (error) {
        const unreachable =
          error instanceof DependencyUnavailableError && !(error instanceof DependencyProtocolError);
        if (unreachable && policy === 'best-effort') {
          this.deps.logger.warn(
            { orderId: order.orderId, cardId },
            'issuer unreachable before reveal; revealing',
          );
          return { cardId, issuerState: 'unreachable', dead: false };
        }
        throw error;
      }
    });
    return {
      checks: checks.map(({ dead: _, ...check }) => check),
      dead: checks.filter((c) => c.dead).map((c) => c.cardId),
    };
  }

  private async card(order: Order, cardId: string): Promise<Card> {
    const card = await this.deps.stores.catalog.getCard(order.tenantId, order.listingId, cardId);
    if (!card) throw new InvalidStateError('a card of this order is missing', { cardId });
    return card;
  }
}

function revelation(order: Order, cards: readonly RevealedCard[]): Revelation {
  return { orderId: order.orderId, revealedAt: order.revealedAt ?? '', cards };
}
