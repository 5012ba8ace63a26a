import type { Brand } from '../domain/brand.js';
import type { BuyerCredit } from '../domain/buyer-credit.js';
import type { Card, CardState, CardValidation } from '../domain/card.js';
import type { Listing } from '../domain/listing.js';
import type { Money } from '../domain/money.js';
import type { Order, OrderState, RefundDue } from '../domain/order.js';
import type { OrderEvent } from '../domain/order-event.js';
import type { Report } from '../domain/report.js';
import type { Penalty, SellerStanding } from '../domain/seller-standing.js';
import type { Tenant } from '../domain/tenant.js';

/**
 * Persistence ports. Every state change is one conditional write or one transaction that also
 * appends the order's event (F9). A lost condition surfaces as a typed domain error
 * (`ConcurrentUpdateError` unless a more precise one applies), with the SDK error as `cause`.
 */
export interface TenantStore {
  createTenant(tenant: Tenant, apiKey: { keyId: string; secretHash: string }): Promise<void>;
  /** The tenant and stored secret hash for an API key id, for a constant-time compare. */
  findApiKey(keyId: string): Promise<{ tenantId: string; secretHash: string } | undefined>;
  putBrand(brand: Brand): Promise<void>;
  getBrand(brand: string): Promise<Brand | undefined>;
}

/** Where a fingerprint is taken, when it is. */
export interface FingerprintOwner {
  readonly tenantId: string;
  readonly listingId: string;
  readonly cardId: string;
}

export interface CatalogStore {
  createListing(listing: Listing): Promise<void>;
  getListing(tenantId: string, listingId: string): Promise<Listing | undefined>;
  /**
   * The listing's cards counted by state, in one read, with the orders still holding a card
   * after their payment time ran out at `now` (due to expire, so the count is not final yet).
   */
  stock(
    tenantId: string,
    listingId: string,
    now: string,
  ): Promise<{ counts: Record<CardState, number>; lapsedOrderIds: string[] }>;
  findFingerprint(fingerprint: string): Promise<FingerprintOwner | undefined>;
  /** Stores a card and takes its fingerprint; throws `DuplicateCardError` if the fingerprint is taken. */
  addCard(card: Card): Promise<void>;
  getCard(tenantId: string, listingId: string, cardId: string): Promise<Card | undefined>;
  /** A pending card re-checked by the issuer: to `available` or `void`. */
  settlePendingCard(card: Card, to: 'available' | 'void', validation: CardValidation): Promise<void>;
  /** Withdraws an unsold card and frees its fingerprint. */
  withdrawCard(card: Card, at: string): Promise<void>;
  /** Up to `limit` available cards of a listing, read consistently. */
  findAvailableCards(tenantId: string, listingId: string, limit: number): Promise<Card[]>;
}

export interface IdempotencyRecord {
  readonly requestHash: string;
  readonly status: number;
  readonly body: unknown;
}

export type PaymentOutcome =
  | { readonly kind: 'applied' }
  | { readonly kind: 'refund_due'; readonly reason: RefundDue['reason'] };

export interface LedgerMove {
  readonly sellerId: string;
  readonly currency: string;
  /** Signed minor-unit changes to the seller's balances. */
  readonly held: number;
  readonly available: number;
  readonly entryId: string;
  readonly kind: 'sale_held' | 'refund' | 'release' | 'fine';
  readonly orderId: string;
}

/** One change of an order's state, with everything that must change with it atomically. */
export interface OrderTransition {
  /** When the change happens (the clock's now). */
  readonly at: string;
  readonly order: Order;
  /** The state the order must still be in (the condition). */
  readonly expectedState: OrderState;
  readonly next: Order;
  readonly cards: ReadonlyArray<{
    listingId: string;
    cardId: string;
    from: CardState;
    to: CardState;
    /** Keep (true) or clear (false) the card's link to this order. */
    linked: boolean;
  }>;
  readonly ledger: readonly LedgerMove[];
  readonly penalties: ReadonlyArray<Penalty & { sellerId: string }>;
  /** The seller must still be active when this commits (payment and reveal); a lost check is a conflict. */
  readonly requireActiveSeller?: boolean;
  readonly events: readonly OrderEvent[];
}

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
  }): Promise<'recorded' | 'payment-exists' | 'payment-ref-taken' | 'conflict'>;
  getPayment(
    tenantId: string,
    orderId: string,
    paymentRef: string,
  ): Promise<{ amount: Money; outcome: PaymentOutcome } | undefined>;
  listEvents(tenantId: string, orderId: string): Promise<OrderEvent[]>;
  /** Orders whose time-driven transition is due at `now`, oldest first. */
  listDueOrders(now: string, limit: number): Promise<Array<{ tenantId: string; orderId: string }>>;
  /** A seller's orders still open to the suspension cascade (pending_payment or paid). */
  listOpenSellerOrders(tenantId: string, sellerId: string): Promise<Array<{ orderId: string }>>;
}

export interface ReportStore {
  getReport(tenantId: string, orderId: string, cardId: string): Promise<Report | undefined>;
  /** Stores the report, updates buyer credit and, when upheld, applies the refund and penalty. */
  recordReport(input: {
    report: Report;
    buyerCreditDelta: 'upheld' | 'rejected' | 'escalated';
    /** The order's change (refund, or the report noted on its version). */
    transition: OrderTransition;
    event: OrderEvent;
  }): Promise<'recorded' | 'already-reported' | 'conflict'>;
}

export interface PartyStore {
  getSeller(tenantId: string, sellerId: string): Promise<SellerStanding | undefined>;
  listPenalties(tenantId: string, sellerId: string): Promise<Penalty[]>;
  /** Marks the seller suspended; false if already suspended. */
  suspendSeller(tenantId: string, sellerId: string, at: string): Promise<boolean>;
  getBuyer(tenantId: string, buyerId: string): Promise<BuyerCredit | undefined>;
}

export interface VaultStore extends TenantStore, CatalogStore, OrderStore, ReportStore, PartyStore {}
