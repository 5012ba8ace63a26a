import { randomBytes } from 'node:crypto';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { createDynamoStores } from '../../shared/adapters/dynamodb/dynamodb-stores.js';
import { type Key, keys } from '../../shared/adapters/dynamodb/keys.js';
import { newId, ulidIdGenerator } from '../../shared/adapters/ids/ulid-id-generator.js';
import type { Card, CardState } from '../../shared/domain/card.js';
import type { Listing } from '../../shared/domain/listing.js';
import { multiply, zero } from '../../shared/domain/money.js';
import type { Order } from '../../shared/domain/order.js';
import { OrderTransitions } from '../../shared/domain/order-transitions.js';
import { fineFor } from '../../shared/domain/penalty-policy.js';
import type { Report } from '../../shared/domain/report.js';
import type { TableDecision } from '../../shared/domain/report-decision.js';
import type { Tenant } from '../../shared/domain/tenant.js';
import type { OrderStore } from '../../shared/ports/order-store.js';
import type { ReportStore } from '../../shared/ports/report-store.js';
import type { TestTable } from './dynamo.js';

/**
 * Builders for store-level tests: entities with sensible defaults (override what the test is
 * about), and a few steps that put an order into a given state through the real stores.
 * Every entity gets fresh ids, and by default a fresh tenant, so tests sharing a table do not meet.
 */
export type Stores = ReturnType<typeof createDynamoStores>;

export const storesOn = (table: TestTable): Stores => createDynamoStores(table);

/** Reads back what a store test wrote: a card, an order, and the types of the order's events. */
export function storeReads({ catalog, orders }: Stores) {
  return {
    cardOf: (c: Card) => catalog.getCard(c.tenantId, c.listingId, c.cardId),
    orderOf: (o: Order) => orders.getOrder(o.tenantId, o.orderId),
    eventTypes: async (o: Order) => (await orders.listEvents(o.tenantId, o.orderId)).map((e) => e.type),
  };
}

/** The production transition builders, with real time-sortable ids. */
export const transitions = new OrderTransitions((at) => ulidIdGenerator.next('evt', at));

export const later = (base: Date, seconds: number): Date => new Date(base.getTime() + seconds * 1000);
export const randomHex = (bytes = 16): string => randomBytes(bytes).toString('hex');
export const uniqueId = (prefix: string): string => `${prefix}-${randomHex(6)}`;

export function aTenant(overrides: Partial<Tenant> = {}): Tenant {
  return {
    tenantId: newId('tnt'),
    name: 'test marketplace',
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}

export function aListing(overrides: Partial<Listing> = {}): Listing {
  return {
    tenantId: newId('tnt'),
    listingId: newId('lst'),
    sellerId: uniqueId('seller'),
    brand: 'demo-gift',
    faceValue: { amount: 5000, currency: 'EUR' },
    price: { amount: 4500, currency: 'EUR' },
    createdAt: new Date().toISOString(),
    ...overrides,
  };
}

export function aCard(listing: Listing, overrides: Partial<Card> = {}): Card {
  const cardId = overrides.cardId ?? newId('crd');
  const now = new Date().toISOString();
  return {
    tenantId: listing.tenantId,
    cardId,
    listingId: listing.listingId,
    sellerId: listing.sellerId,
    state: 'available',
    last4: randomHex(2).toUpperCase(),
    ciphertext: Buffer.from(`sealed:${cardId}`).toString('base64'),
    // A keyed HMAC in production; the registry is deployment-wide, so every card gets its own.
    fingerprint: randomHex(32),
    validation: { issuerState: 'active', balance: listing.faceValue, checkedAt: now },
    createdAt: now,
    updatedAt: now,
    ...overrides,
  };
}

/** A pending order for `cards` of `listing`, created at `createdAt` (default now), due in 15 minutes. */
export function anOrder(listing: Listing, cards: readonly Card[], overrides: Partial<Order> = {}): Order {
  const createdAt = overrides.createdAt ?? new Date().toISOString();
  return {
    tenantId: listing.tenantId,
    orderId: newId('ord', new Date(createdAt)),
    listingId: listing.listingId,
    sellerId: listing.sellerId,
    buyerId: uniqueId('buyer'),
    brand: listing.brand,
    quantity: cards.length,
    unitPrice: listing.price,
    amount: multiply(listing.price, cards.length),
    state: 'pending_payment',
    cards: cards.map((c) => ({ cardId: c.cardId, last4: c.last4 })),
    createdAt,
    expiresAt: later(new Date(createdAt), 900).toISOString(),
    refunded: zero(listing.price.currency),
    refundsDue: [],
    version: 1,
    ...overrides,
  };
}

/** What placeOrder takes for `order`: a fresh idempotency key that lives 24 h from now, and the event. */
export function placing(
  order: Order,
  overrides: { keyHash?: string; ttlEpoch?: number } = {},
): Parameters<OrderStore['placeOrder']>[0] {
  return {
    order,
    idempotency: {
      scope: 'orders',
      keyHash: overrides.keyHash ?? randomHex(),
      record: { requestHash: randomHex(), status: 201, body: order },
      ttlEpoch: overrides.ttlEpoch ?? Math.floor(Date.now() / 1000) + 86_400,
    },
    event: transitions.event(order, new Date(order.createdAt), 'order.placed', 'buyer', undefined, {
      cardIds: order.cards.map((c) => c.cardId),
    }),
  };
}

export function aReport(order: Order, cardId: string, overrides: Partial<Report> = {}): Report {
  const createdAt = overrides.createdAt ?? new Date().toISOString();
  return {
    tenantId: order.tenantId,
    reportId: newId('rpt', new Date(createdAt)),
    orderId: order.orderId,
    cardId,
    buyerId: order.buyerId,
    reason: 'already_redeemed',
    decision: 'rejected',
    status: 'closed',
    evidence: {
      issuerState: 'active',
      revealedAt: order.revealedAt ?? createdAt,
      checkedAt: createdAt,
      rationale: 'the issuer reports the code as active',
    },
    createdAt,
    ...overrides,
  };
}

/**
 * What recordReport takes for a report on `cardId` decided `decision` at `at`, built as the
 * report service builds it: an upheld (refunded) report carries the card's refund and penalty.
 */
export function reporting(
  order: Order,
  cardId: string,
  decision: TableDecision,
  at: Date = new Date(),
): Parameters<ReportStore['recordReport']>[0] {
  const upheld = decision === 'refunded';
  const report = aReport(order, cardId, {
    decision,
    status: decision === 'escalated' ? 'open' : 'closed',
    ...(decision === 'escalated'
      ? {
          escalation: {
            reason: 'race_window' as const,
            deadline: new Date(at.getTime() + 604_800_000).toISOString(),
            attempts: 0,
          },
        }
      : {}),
    createdAt: at.toISOString(),
    ...(upheld ? { refund: order.unitPrice, sellerPenalty: fineFor(order.unitPrice) } : {}),
  });
  const { reportId } = report;
  return {
    report,
    buyer: { delta: upheld ? 'upheld' : decision },
    transition: upheld
      ? transitions.strike(transitions.refundReportedCard(order, cardId, reportId, at), undefined)
      : transitions.noteReport(order, at, decision === 'escalated'),
    event: transitions.event(order, at, `report.${decision}`, 'buyer', undefined, {
      reportId,
      cardId,
      decision,
    }),
  };
}

/** A stored listing with `count` stored cards in `state`. */
export async function aStockedListing(
  stores: Stores,
  options: { count?: number; state?: CardState; listing?: Partial<Listing> } = {},
): Promise<{ listing: Listing; cards: Card[] }> {
  const listing = aListing(options.listing);
  await stores.catalog.createListing(listing);
  const cards = Array.from({ length: options.count ?? 1 }, () =>
    aCard(listing, { state: options.state ?? 'available' }),
  );
  await Promise.all(cards.map((c) => stores.catalog.addCard(c)));
  return { listing, cards };
}

/** A stored listing with one stored card in `state`. */
export async function aStockedCard(
  stores: Stores,
  state: CardState = 'available',
): Promise<{ listing: Listing; card: Card }> {
  const { listing, cards } = await aStockedListing(stores, { state });
  return { listing, card: cards[0] as Card };
}

export interface OrderSetup {
  /** The order's creation time (default a minute ago); payment is 1 s later, the reveal 2 s later. */
  readonly at?: Date;
  readonly quantity?: number;
  readonly listing?: Partial<Listing>;
  readonly order?: Partial<Order>;
  readonly disputeWindowSeconds?: number;
}

/** An order placed on fresh stock and moved through the real store to `state`; returns it as stored. */
export async function anOrderIn(
  stores: Stores,
  state: 'pending_payment' | 'paid' | 'revealed',
  setup: OrderSetup = {},
): Promise<{ listing: Listing; cards: Card[]; order: Order }> {
  const { listing, cards } = await aStockedListing(stores, {
    count: setup.quantity ?? 1,
    ...(setup.listing ? { listing: setup.listing } : {}),
  });
  // A minute ago by default, so the steps below (at +1 s, +2 s) happen before whatever the test does now.
  const at = setup.at ?? later(new Date(), -60);
  let order = anOrder(listing, cards, { createdAt: at.toISOString(), ...setup.order });
  expect(await stores.orders.placeOrder(placing(order))).toBe('placed');
  // As stored: the store adds the trail's head (issue 22), which each next write is conditional on.
  const stored = async () => (await stores.orders.getOrder(order.tenantId, order.orderId)) as Order;
  order = await stored();
  if (state === 'pending_payment') return { listing, cards, order };

  const paid = transitions.markPaid(order, uniqueId('pay'), later(at, 1));
  const outcome = await stores.orders.recordPayment({
    tenantId: order.tenantId,
    orderId: order.orderId,
    paymentRef: paid.next.paymentRef as string,
    amount: order.amount,
    outcome: { kind: 'applied' },
    transition: paid,
  });
  expect(outcome).toBe('recorded');
  order = await stored();
  if (state === 'paid') return { listing, cards, order };

  const revealed = transitions.reveal(order, later(at, 2), {
    keyHash: randomHex(),
    disputeWindowSeconds: setup.disputeWindowSeconds ?? 86_400,
  });
  expect(await stores.orders.transition(revealed)).toBe('done');
  return { listing, cards, order: await stored() };
}

/** The raw item under `key`, layout attributes included (for what no port reads back). */
export async function rawItem(table: TestTable, key: Key): Promise<Record<string, unknown> | undefined> {
  const { Item } = await table.doc.send(
    new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }),
  );
  return Item;
}

/** The seller's ledger entries: no port lists them, and "booked once" is what the tests check. */
export async function ledgerEntries(
  table: TestTable,
  tenantId: string,
  sellerId: string,
): Promise<Record<string, unknown>[]> {
  const { Items } = await table.doc.send(
    new QueryCommand({
      TableName: table.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :led)',
      ExpressionAttributeValues: { ':pk': keys.seller(tenantId, sellerId).pk, ':led': 'LED#' },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}
