import type { Card } from '../domain/card.js';
import {
  AlreadyRevealedError,
  CodeAlreadyRedeemedError,
  DependencyProtocolError,
  DependencyUnavailableError,
  InvalidStateError,
  NotFoundError,
  PaymentNotClearedError,
} from '../domain/errors.js';
import type { Order } from '../domain/order.js';
import type { OrderTransitions } from '../domain/order-transitions.js';
import type { SealedSecret } from '../ports/code-cipher.js';
import { mapBounded } from './bounded.js';
import { sha256Hex } from './hashing.js';
import type { OrderRunner } from './order-runner.js';
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

type Outcome = { kind: 'revealed'; revelation: Revelation } | { kind: 'refunded'; order: Order };

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
  ): Promise<Revelation> {
    const keyHash = sha256Hex(idempotencyKey);
    // Opened and re-checked once: a paid order's cards never change, so a retry after a lost
    // race decides again on the same secrets and the same issuer answer.
    let checked: Promise<{ secrets: RevealedCard[]; dead: string[] }> | undefined;
    const outcome = await this.runner.run<Outcome>(tenantId, orderId, async (order, now) => {
      if (order.buyerId !== buyerId) throw new NotFoundError('order not found', { orderId });
      if (order.state !== 'paid') return { done: await this.revealAgain(order, keyHash, now) };
      // The seller first, on every attempt: a suspended seller's codes are never opened.
      const seller = await this.deps.stores.parties.getSeller(order.tenantId, order.sellerId);
      if (seller?.status === 'suspended') {
        // Suspension refunds paid orders; this one is refunded here if the cascade has not reached it.
        const transition = this.transitions.refundPaid(order, now, 'vault', 'seller_suspended', []);
        return { transition, result: (next) => ({ kind: 'refunded', order: next }) };
      }
      checked ??= this.openAndRecheck(order);
      const { secrets, dead } = await checked;
      if (dead.length > 0) {
        const transition = this.transitions.refundPaid(order, now, 'vault', 'code_dead_before_reveal', dead);
        return { transition, result: (next) => ({ kind: 'refunded', order: next }) };
      }
      const transition = this.transitions.reveal(
        order,
        keyHash,
        now,
        this.deps.settings.disputeWindowSeconds,
      );
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

  /** Not `paid`: a retry of the winning reveal within the window decrypts again; anything else is refused. */
  private async revealAgain(order: Order, keyHash: string, now: Date): Promise<Outcome> {
    if (order.revealedAt === undefined) {
      if (order.state === 'refunded') throw refundRefusal(order);
      throw new PaymentNotClearedError(`the order is ${order.state}: payment has not cleared`, {
        state: order.state,
      });
    }
    const withinRetry =
      now.getTime() - Date.parse(order.revealedAt) <= this.deps.settings.revealRetrySeconds * 1000;
    if (order.revealKeyHash !== keyHash || !withinRetry) {
      throw new AlreadyRevealedError('the code was already revealed', { revealedAt: order.revealedAt });
    }
    return { kind: 'revealed', revelation: revelation(order, await this.decryptAll(order)) };
  }

  private async openAndRecheck(order: Order): Promise<{ secrets: RevealedCard[]; dead: string[] }> {
    const secrets = await this.decryptAll(order);
    return { secrets, dead: await this.deadCards(order, secrets) };
  }

  private async decryptAll(order: Order): Promise<RevealedCard[]> {
    return mapBounded(order.cards, 8, async ({ cardId }) => {
      const card = await this.card(order, cardId);
      const secret = await this.deps.cipher.decrypt(card.ciphertext, { tenantId: order.tenantId, cardId });
      return { cardId, ...secret };
    });
  }

  /**
   * F7: cards the issuer now says are dead. `best-effort`: an unreachable issuer does not block
   * the buyer; a misbehaving one (answering, but against the protocol) does, as under `strict`:
   * an issuer that answers nonsense could as well be hiding a redemption.
   */
  private async deadCards(order: Order, secrets: readonly RevealedCard[]): Promise<string[]> {
    const policy = this.deps.settings.revalidateBeforeReveal;
    if (policy === 'off') return [];
    const brand = await this.deps.stores.tenants.getBrand(order.brand);
    if (!brand) return [];
    const states = await mapBounded(secrets, 8, async (secret) => {
      try {
        return (await this.deps.issuer.check(brand, secret)).state;
      } catch (error) {
        const unreachable =
          error instanceof DependencyUnavailableError && !(error instanceof DependencyProtocolError);
        if (unreachable && policy === 'best-effort') {
          this.deps.logger.warn(
            { orderId: order.orderId, cardId: secret.cardId },
            'issuer unreachable before reveal; revealing',
          );
          return 'active';
        }
        throw error;
      }
    });
    return secrets.filter((_, i) => states[i] !== 'active').map((s) => s.cardId);
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

/** Why a refunded order shows nothing: its codes were dead, or its seller was suspended. */
function refundRefusal(order: Order): CodeAlreadyRedeemedError | InvalidStateError {
  const reason = order.refundReason;
  switch (reason) {
    case 'code_dead_before_reveal':
      return refundedError(order);
    // Every pre-reveal refund records its reason; an order without one is answered as before.
    case 'seller_suspended':
    case undefined:
      return suspendedRefundError(order);
    default: {
      const unhandled: never = reason;
      throw new Error(`unhandled refund reason ${String(unhandled)}`);
    }
  }
}

function refundedError(order: Order): CodeAlreadyRedeemedError {
  return new CodeAlreadyRedeemedError(
    'the code was already redeemed; the order is refunded and nothing is shown',
    {
      refund: order.refunded,
      state: order.state,
    },
  );
}

function suspendedRefundError(order: Order): InvalidStateError {
  return new InvalidStateError(
    'the order was refunded before delivery (the seller is suspended); nothing is shown',
    {
      state: order.state,
      refund: order.refunded,
    },
  );
}
