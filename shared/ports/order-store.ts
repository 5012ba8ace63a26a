import type { RevealContextRecord } from '../domain/buyer-context.js';
import type { Money } from '../domain/money.js';
import type { Order, RefundDue } from '../domain/order.js';
import type { OrderEvent } from '../domain/order-event.js';
import type { OrderTransition } from '../domain/order-transition.js';
import type { Page, PageRequest } from './page.js';

/** The first answer to an idempotent request, replayed for the same key and body. */
export interface IdempotencyRecord {
  readonly requestHash: string;
  readonly status: number;
  readonly body: unknown;
}

/** What a payment reference was recorded as: applied to the order, or owed back to the buyer. */
export type PaymentOutcome =
  | { readonly kind: 'applied' }
  | { readonly kind: 'refund_due'; readonly reason: RefundDue['reason'] };

/**
 * Orders, their payments, idempotency records and audit trail. The domain decides each
 * `OrderTransition`; the store persists it in one transaction that also appends the order's
 * events (F9), or answers `conflict` when the order changed since it was read.
 */
export interface OrderStore {
  /**
   * Reserves the cards and creates the order in one transaction. Throws
   * `SellerSuspendedError` if the seller is suspended; an expected lost race is a result.
   */
  placeOrder(input: {
    order: Order;
    idempotency: { scope: string; keyHash: string; record: IdempotencyRecord; ttlEpoch: number };
    event: OrderEvent;
  }): Promise<'placed' | 'idempotency-key-taken' | 'cards-taken'>;
  /** The record for a key, unless it expired by `now` (DynamoDB deletes expired items lazily). */
  getIdempotency(
    tenantId: string,
    scope: string,
    keyHash: string,
    now: Date,
  ): Promise<IdempotencyRecord | undefined>;
  getOrder(tenantId: string, orderId: string): Promise<Order | undefined>;
  /** Applies the transition; `conflict` when the order or a card changed since it was read. */
  transition(t: OrderTransition): Promise<'done' | 'conflict'>;
  /**
   * Records a payment by reference with the order's transition: applied (paid) or kept as a
   * refund due. `payment-ref-taken`: the reference already belongs to another order.
   */
  recordPayment(input: {
    tenantId: string;
    orderId: string;
    paymentRef: string;
    amount: Money;
    outcome: PaymentOutcome;
    transition: OrderTransition;
  }): Promise<'recorded' | 'payment-exists' | 'payment-ref-taken' | 'seller-suspended' | 'conflict'>;
  getPayment(
    tenantId: string,
    orderId: string,
    paymentRef: string,
  ): Promise<{ amount: Money; outcome: PaymentOutcome } | undefined>;
  listEvents(tenantId: string, orderId: string): Promise<OrderEvent[]>;
  /** One page of the order's trail, oldest first (see `PageRequest`). */
  pageEvents(tenantId: string, orderId: string, page: PageRequest): Promise<Page<OrderEvent>>;
  /**
   * Appends an event that changes nothing else (a re-delivery of a revealed code): written
   * alone, conditional only on its own id being new, so the order's version is untouched.
   */
  appendEvent(tenantId: string, event: OrderEvent): Promise<void>;
  /** Keeps a reveal's buyer context until its `erasedAt` (a retry with the same digest is a no-op). */
  putRevealContext(record: RevealContextRecord): Promise<void>;
  /** The order's buyer contexts not yet erased at `now`. */
  listRevealContexts(tenantId: string, orderId: string, now: Date): Promise<RevealContextRecord[]>;
  /** Orders whose time-driven transition is due at `now`, oldest first. */
  listDueOrders(now: string, limit: number): Promise<Array<{ tenantId: string; orderId: string }>>;
  /**
   * Work due at `now` that needs a code's plaintext, oldest first: paid orders past their reveal
   * deadline (no `cardId`) and escalated reports whose issuer is to be re-asked (with `cardId`).
   */
  listDueRechecks(
    now: string,
    limit: number,
  ): Promise<Array<{ tenantId: string; orderId: string; cardId?: string }>>;
  /** A seller's orders still open to the suspension cascade (pending_payment or paid). */
  listOpenSellerOrders(tenantId: string, sellerId: string): Promise<Array<{ orderId: string }>>;
  /** A seller's revealed orders whose release waits for the seller's review to close (`releaseHeld`). */
  listHeldReleases(tenantId: string, sellerId: string): Promise<Array<{ orderId: string }>>;
}
