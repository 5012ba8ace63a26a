import { expect } from 'vitest';
import type { Order } from '../../shared/domain/order.js';
import { expectStoredOrderExplained, type FaultStack } from './fault-stack.js';
import { redeemAtTime } from './fraud-helpers.js';
import { aListing, anOrder, depositFresh, pay, unique } from './scenario.js';

/** A seller whose next reveal suspends it: order A's three codes were redeemed by the seller (three strikes), B is paid, C unpaid. */
export async function aSellerAboutToBeSuspended(f: FaultStack) {
  const { stack } = f;
  const listing = await aListing(stack);
  const cards = await depositFresh(stack, listing.listingId, 5);
  const a = await anOrder(stack, listing.listingId, unique('buyer'), 3);
  await pay(stack, a.order);
  const b = await anOrder(stack, listing.listingId);
  await pay(stack, b.order);
  const c = await anOrder(stack, listing.listingId);
  // F7: the seller spends A's codes after depositing them; the re-check before reveal finds them dead.
  const taken = new Set((a.order.cards as Array<{ cardId: string }>).map((card) => card.cardId));
  const deadCards = cards.filter((card) => taken.has(card.cardId));
  expect(deadCards).toHaveLength(3);
  for (const card of deadCards) await redeemAtTime(stack, card.code, stack.clock.now().getTime() - 60_000);
  return {
    sellerId: listing.sellerId,
    listingId: listing.listingId,
    codes: deadCards.map((c) => c.code.replace(/-/g, '')),
    a: { orderId: a.orderId, buyerId: a.buyerId, key: unique('reveal') },
    b: b.orderId,
    c: c.orderId,
  };
}
export type AboutToBeSuspended = Awaited<ReturnType<typeof aSellerAboutToBeSuspended>>;

/**
 * Nothing half-done: a suspended seller's cascade is pending or finished (no open order left
 * behind a cleared flag), the dead-code order is paid or refunded, and every order's state is
 * the one its trail explains. Returns the stored orders.
 */
export async function expectCascadeConsistent(f: FaultStack, s: AboutToBeSuspended) {
  const seller = await f.raw.parties.getSeller(f.tenantId, s.sellerId);
  const open = await f.raw.orders.listOpenSellerOrders(f.tenantId, s.sellerId);
  if (seller?.status === 'suspended' && !seller.cascadePending) {
    expect(open, 'a finished cascade left open orders').toEqual([]);
  }
  const [a, b, c] = await Promise.all([s.a.orderId, s.b, s.c].map((id) => expectStoredOrderExplained(f, id)));
  const orders = { a: a as Order, b: b as Order, c: c as Order };
  expect(['paid', 'refunded']).toContain(orders.a.state);
  if (seller?.status !== 'suspended') {
    // Fewer than three strikes (the issuer unreachable for a card: best effort reveals it alive).
    expect([orders.b.state, orders.c.state]).toEqual(['paid', 'pending_payment']);
    expect(seller?.strikeTimes.length ?? 0).toBeLessThan(3);
  }
  return { seller, open, orders };
}
