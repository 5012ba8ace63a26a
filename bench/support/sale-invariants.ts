import { type LedgerSnapshot, ledgerBreaches, type Money } from './ledger.js';

/**
 * The invariants a burst of sales must keep whatever happened during it (races, a database
 * killed and restarted, retries): checked by `npm run soak` and test/e2e/crash-consistency.
 * Pure: the caller gathers what the vault holds (sale-world.ts) and what its clients saw.
 */

/** A 200 reveal answer as a client received it. */
export interface SeenReveal {
  readonly orderId: string;
  readonly buyerId: string;
  readonly key: string;
  readonly cards: ReadonlyArray<{ cardId: string; code: string }>;
}

/** A 200 payment answer as a client received it. */
export interface SeenPayment {
  readonly orderId: string;
  readonly paymentRef: string;
}

/** An order as `GET /v1/orders/{id}` and its `/events` answer after the run. */
export interface StoredOrder {
  readonly orderId: string;
  readonly listingId: string;
  readonly buyerId: string;
  readonly state: string;
  readonly quantity: number;
  readonly paidAt?: string;
  readonly paymentRef?: string;
  readonly revealedAt?: string;
  readonly refunded: Money;
  readonly cards: ReadonlyArray<{ cardId: string; refunded?: boolean }>;
  readonly events: ReadonlyArray<{ type: string; from?: string; to?: string }>;
}

export interface StoredCard {
  readonly cardId: string;
  readonly state: string;
  readonly orderId?: string;
}

export interface SaleWorld {
  /** Every card the clients deposited, with the code they deposited. */
  readonly deposited: ReadonlyArray<{ listingId: string; cardId: string; code: string }>;
  /** The same cards as stored after the run (a card missing here is lost). */
  readonly cards: ReadonlyMap<string, StoredCard>;
  /** Every order a client was answered 201 for (or replayed with its Idempotency-Key). */
  readonly orders: readonly StoredOrder[];
  readonly reveals: readonly SeenReveal[];
  readonly payments: readonly SeenPayment[];
  readonly ledger: LedgerSnapshot;
}

/** Orders that still hold their cards: a card is in at most one of them. */
const HOLDING = ['pending_payment', 'paid', 'revealed', 'released'] as const;
const holds = (o: StoredOrder) => (HOLDING as readonly string[]).includes(o.state);
/** What a held card's state must be, given its order (`released` depends on a reveal). */
const heldCardStates = (o: StoredOrder): readonly string[] =>
  o.state === 'revealed' || (o.state === 'released' && o.revealedAt)
    ? ['sold', 'refunded']
    : o.state === 'refunded'
      ? ['void', 'available', 'refunded']
      : ['reserved'];
/** A card no order holds is on sale, or out of it for a reason of its own (never reserved or sold). */
const FREE_CARD_STATES = ['available', 'pending_validation', 'withdrawn', 'void'];

const normalize = (code: string) => code.replace(/[^0-9A-Za-z]/g, '').toUpperCase();

/** Every broken invariant, as one line each; empty when the run kept them all. */
export function saleViolations(world: SaleWorld): string[] {
  return [
    ...revealViolations(world),
    ...cardViolations(world),
    ...trailViolations(world.orders),
    ...paymentViolations(world),
    ...ledgerBreaches(world.ledger).map(
      (l) =>
        `unbalanced ledger: seller ${l.sellerId} ${l.currency} held ${l.held} + available ${l.available} + ` +
        `refunds ${l.refunds} + penalties ${l.penalties} != paid in ${l.paidIn}`,
    ),
  ];
}

function revealViolations({ reveals, orders, deposited }: SaleWorld): string[] {
  const out: string[] = [];
  const byId = new Map(orders.map((o) => [o.orderId, o]));
  const codeOf = new Map(deposited.map((d) => [d.cardId, normalize(d.code)]));
  const keysByOrder = new Map<string, Set<string>>();
  const orderOfCard = new Map<string, string>();
  for (const r of reveals) {
    const order = byId.get(r.orderId);
    if (!order) {
      out.push(`revealed order ${r.orderId} is not among the orders placed`);
      continue;
    }
    if (r.buyerId !== order.buyerId) out.push(`order ${r.orderId} revealed to ${r.buyerId}, not its buyer`);
    if (!order.revealedAt) out.push(`order ${r.orderId} answered a reveal but has no revealedAt`);
    keysByOrder.set(r.orderId, (keysByOrder.get(r.orderId) ?? new Set()).add(r.key));
    for (const card of r.cards) {
      if (!order.cards.some((c) => c.cardId === card.cardId))
        out.push(`order ${r.orderId} revealed card ${card.cardId}, which it does not hold`);
      if (codeOf.get(card.cardId) !== normalize(card.code))
        out.push(`order ${r.orderId} revealed another code than the one deposited as ${card.cardId}`);
      const earlier = orderOfCard.get(card.cardId);
      if (earlier && earlier !== r.orderId)
        out.push(`card ${card.cardId} revealed in ${earlier} and ${r.orderId}`);
      orderOfCard.set(card.cardId, r.orderId);
    }
  }
  for (const [orderId, keys] of keysByOrder)
    if (keys.size > 1) out.push(`double reveal: order ${orderId} revealed to ${keys.size} different keys`);
  return out;
}

function cardViolations({ deposited, cards, orders }: SaleWorld): string[] {
  const out: string[] = [];
  const holders = new Map<string, StoredOrder[]>();
  for (const o of orders.filter(holds))
    for (const c of o.cards) holders.set(c.cardId, [...(holders.get(c.cardId) ?? []), o]);
  const byId = new Map(orders.map((o) => [o.orderId, o]));
  const perListing = new Map<string, number>();
  for (const d of deposited) perListing.set(d.listingId, (perListing.get(d.listingId) ?? 0) + 1);
  for (const [listingId, count] of perListing) {
    const sold = orders
      .filter((o) => holds(o) && o.listingId === listingId)
      .reduce((n, o) => n + o.quantity, 0);
    if (sold > count)
      out.push(`oversell: listing ${listingId} has ${count} cards and ${sold} held by orders`);
  }
  for (const { cardId } of deposited) {
    const card = cards.get(cardId);
    if (!card) {
      out.push(`card ${cardId} lost: deposited, not in the table`);
      continue;
    }
    const held = holders.get(cardId) ?? [];
    if (held.length > 1)
      out.push(`oversell: card ${cardId} held by ${held.map((o) => o.orderId).join(', ')}`);
    const holder = held[0] ?? (card.orderId ? byId.get(card.orderId) : undefined);
    const refundedHolder = holder?.state === 'refunded' ? holder : undefined;
    const expected = holder && (holds(holder) || refundedHolder) ? heldCardStates(holder) : FREE_CARD_STATES;
    if (!expected.includes(card.state))
      out.push(
        `card ${cardId} is ${card.state}; its order ${holder?.orderId ?? '(none)'} (${holder?.state ?? '-'}) explains ${expected.join('/')}`,
      );
    if (card.state === 'sold' && !(card.orderId && byId.get(card.orderId)?.revealedAt))
      out.push(`card ${cardId} sold, but order ${card.orderId ?? '(none)'} was never revealed`);
  }
  return out;
}

function trailViolations(orders: readonly StoredOrder[]): string[] {
  const out: string[] = [];
  for (const o of orders) {
    const moves = o.events.filter((e) => e.to !== undefined);
    if (moves[0]?.to !== 'pending_payment')
      out.push(`order ${o.orderId}: its trail does not start with placing it`);
    moves.slice(1).forEach((e, i) => {
      const before = moves[i]?.to;
      if (e.from !== undefined && e.from !== before)
        out.push(`order ${o.orderId}: ${e.type} goes from ${e.from}, the trail left it ${before}`);
    });
    const last = moves.at(-1)?.to;
    if (last !== o.state)
      out.push(`order ${o.orderId} is ${o.state}, its trail's last transition says ${last}`);
    for (const once of ['payment.received', 'order.revealed']) {
      const n = o.events.filter((e) => e.type === once).length;
      if (n > 1) out.push(`order ${o.orderId}: ${n} ${once} events`);
    }
  }
  return out;
}

function paymentViolations({ payments, orders }: SaleWorld): string[] {
  const out: string[] = [];
  const byId = new Map(orders.map((o) => [o.orderId, o]));
  const refsByOrder = new Map<string, Set<string>>();
  const orderOfRef = new Map<string, string>();
  for (const p of payments) {
    refsByOrder.set(p.orderId, (refsByOrder.get(p.orderId) ?? new Set()).add(p.paymentRef));
    const earlier = orderOfRef.get(p.paymentRef);
    if (earlier && earlier !== p.orderId)
      out.push(`payment ${p.paymentRef} applied to ${earlier} and ${p.orderId}`);
    orderOfRef.set(p.paymentRef, p.orderId);
  }
  for (const [orderId, refs] of refsByOrder) {
    if (refs.size > 1) out.push(`double payment: order ${orderId} paid by ${[...refs].join(', ')}`);
    const order = byId.get(orderId);
    if (!order?.paidAt || !refs.has(order.paymentRef ?? ''))
      out.push(`order ${orderId} answered paid, but holds payment ${order?.paymentRef ?? '(none)'}`);
  }
  for (const o of orders)
    if (o.paidAt && !refsByOrder.has(o.orderId))
      out.push(`order ${o.orderId} paid, but no client was told so`);
  return out;
}
