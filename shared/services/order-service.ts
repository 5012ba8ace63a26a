import {
  DomainError,
  IdempotencyKeyReusedError,
  InvalidStateError,
  NotFoundError,
  OutOfStockError,
  SelfPurchaseError,
  ValidationError,
} from '../domain/errors.js';
import { multiply, zero } from '../domain/money.js';
import { MAX_CARDS_PER_ORDER, type Order } from '../domain/order.js';
import type { OrderEvent } from '../domain/order-event.js';
import type { OrderTransitions } from '../domain/order-transitions.js';
import type { IdempotencyRecord } from '../ports/order-store.js';
import type { Page, PageRequest } from '../ports/page.js';
import { canonicalJson, sha256Hex } from './hashing.js';
import type { ListingService } from './listing-service.js';
import { backoff, type OrderRunner } from './order-runner.js';
import type { CoreDeps } from './vault-deps.js';

export interface PlaceOrderInput {
  readonly listingId: string;
  readonly buyerId: string;
  readonly quantity: number;
}

const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
const RESERVE_ATTEMPTS = 6;
/** Candidates read per attempt: racing buyers pick different cards at random instead of all the first. */
const CANDIDATE_POOL = 25;

/** Orders: reservation (F8), status for both parties (F4), cancellation, the audit trail (F9). */
export class OrderService {
  constructor(
    private readonly deps: Pick<CoreDeps, 'stores' | 'clock' | 'ids' | 'settings' | 'metrics'>,
    private readonly transitions: OrderTransitions,
    private readonly runner: OrderRunner,
    private readonly listings: ListingService,
  ) {}

  /** Reserves `quantity` cards in one transaction; the same Idempotency-Key replays the first answer. */
  async place(tenantId: string, input: PlaceOrderInput, idempotencyKey: string): Promise<Order> {
    const { orders } = this.deps.stores;
    const keyHash = sha256Hex(idempotencyKey);
    const requestHash = sha256Hex(canonicalJson(input));
    const replay = async () => {
      const record = await orders.getIdempotency(tenantId, 'orders', keyHash, this.deps.clock.now());
      return record && this.replayed(record, requestHash);
    };
    try {
      return await this.reserve(tenantId, input, keyHash, requestHash, replay);
    } catch (error) {
      // A key used before gets its first answer (or idempotency-key-reused), whatever the
      // listing's stock is now: the record is read only when the reservation did not go through.
      if (!(error instanceof DomainError) || error instanceof IdempotencyKeyReusedError) throw error;
      const earlier = await replay();
      if (earlier) return earlier;
      throw error;
    }
  }

  /**
   * The reservation itself. It reads no idempotency record first: the transaction puts the record
   * only if the key is new, so a replayed key ends here as `idempotency-key-taken`.
   */
  private async reserve(
    tenantId: string,
    input: PlaceOrderInput,
    keyHash: string,
    requestHash: string,
    replay: () => Promise<Order | undefined>,
  ): Promise<Order> {
    const { orders } = this.deps.stores;
    if (!Number.isInteger(input.quantity) || input.quantity < 1 || input.quantity > MAX_CARDS_PER_ORDER) {
      throw new ValidationError(`quantity must be 1 to ${MAX_CARDS_PER_ORDER}`);
    }
    const listing = await this.listings.require(tenantId, input.listingId);
    if (listing.sellerId === input.buyerId)
      throw new SelfPurchaseError('a seller cannot buy their own listing');
    // A suspended seller is refused by the reservation transaction itself (a condition on the seller).

    for (let attempt = 0; attempt < RESERVE_ATTEMPTS; attempt++) {
      const { catalog } = this.deps.stores;
      const want = Math.max(CANDIDATE_POOL, input.quantity * 2);
      let candidates = await catalog.findAvailableCards(tenantId, listing.listingId, want);
      if (
        candidates.length < input.quantity &&
        (await this.runner.settleLapsedReservations(tenantId, listing.listingId)) > 0
      ) {
        continue; // cards held by orders whose payment time is over are back: read again
      }
      if (candidates.length < input.quantity) {
        // The pool lags writes: out of stock is said only on a consistent read of the listing.
        candidates = await catalog.findAvailableCards(tenantId, listing.listingId, want, 'consistent');
      }
      if (candidates.length < input.quantity) {
        throw new OutOfStockError('not enough cards in stock', {
          available: candidates.length,
          requested: input.quantity,
        });
      }
      const picked = shuffle(candidates).slice(0, input.quantity);
      const now = this.deps.clock.now();
      const order: Order = {
        tenantId,
        orderId: this.deps.ids.next('ord', now),
        listingId: listing.listingId,
        sellerId: listing.sellerId,
        buyerId: input.buyerId,
        brand: listing.brand,
        quantity: input.quantity,
        unitPrice: listing.price,
        faceValue: listing.faceValue,
        amount: multiply(listing.price, input.quantity),
        state: 'pending_payment',
        cards: picked.map((c) => ({ cardId: c.cardId, last4: c.last4 })),
        createdAt: now.toISOString(),
        expiresAt: new Date(now.getTime() + this.deps.settings.paymentTimeoutSeconds * 1000).toISOString(),
        refunded: zero(listing.price.currency),
        refundsDue: [],
        version: 1,
      };
      const outcome = await orders.placeOrder({
        order,
        idempotency: {
          scope: 'orders',
          keyHash,
          record: { requestHash, status: 201, body: order },
          ttlEpoch: Math.floor(now.getTime() / 1000) + IDEMPOTENCY_TTL_SECONDS,
        },
        event: this.transitions.placed(order, now),
      });
      if (outcome === 'placed') {
        this.deps.metrics.count({ name: 'OrdersPlaced' });
        return order;
      }
      if (outcome === 'idempotency-key-taken') {
        const raced = await replay();
        if (raced) return raced;
      }
      await backoff(attempt);
    }
    throw new OutOfStockError('the last cards were taken by other buyers; try again');
  }

  async get(tenantId: string, orderId: string): Promise<Order> {
    return this.runner.load(tenantId, orderId);
  }

  /** The marketplace cancels an unpaid order; the cards go back on sale. Cancelling twice is harmless. */
  async cancel(tenantId: string, orderId: string): Promise<Order> {
    return this.runner.run<Order>(tenantId, orderId, (order, now) => {
      if (order.state === 'cancelled') return { done: order };
      if (order.state !== 'pending_payment') {
        throw new InvalidStateError(`the order is ${order.state}; only an unpaid order can be cancelled`, {
          state: order.state,
        });
      }
      return {
        transition: this.transitions.closeUnpaid(order, 'cancelled', 'marketplace', now),
        result: (next) => next,
      };
    });
  }

  /** The buyer confirms the code works: the money is released before the window closes. */
  async confirm(tenantId: string, orderId: string, buyerId: string): Promise<Order> {
    return this.runner.run<Order>(tenantId, orderId, (order, now) => {
      if (order.buyerId !== buyerId) throw new NotFoundError('order not found', { orderId });
      if (order.state === 'released') return { done: order };
      if (order.state !== 'revealed') {
        throw new InvalidStateError(`the order is ${order.state}; only a revealed order can be confirmed`, {
          state: order.state,
        });
      }
      return { transition: this.transitions.release(order, now, 'buyer'), result: (next) => next };
    });
  }

  /** A page of the order's trail (after a due transition, so the trail shows it). */
  async events(tenantId: string, orderId: string, page: PageRequest): Promise<Page<OrderEvent>> {
    await this.runner.load(tenantId, orderId);
    return this.deps.stores.orders.pageEvents(tenantId, orderId, page);
  }

  private replayed(record: IdempotencyRecord, requestHash: string): Order {
    if (record.requestHash !== requestHash) {
      throw new IdempotencyKeyReusedError('this Idempotency-Key was used with another request body');
    }
    return record.body as Order;
  }
}

function shuffle<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
