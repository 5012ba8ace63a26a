import { randomBytes } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { ulidIdGenerator } from '../../shared/adapters/ids/ulid-id-generator.js';
import { LocalLinkMac } from '../../shared/adapters/local-cipher/local-link-mac.js';
import { createLogger } from '../../shared/adapters/logging/json-logger.js';
import { endpointUrlPolicy } from '../../shared/adapters/webhook-http/endpoint-url-policy.js';
import { OutOfStockError } from '../../shared/domain/errors.js';
import type { Order } from '../../shared/domain/order.js';
import { defaultSettings } from '../../shared/domain/vault-settings.js';
import { noMetrics } from '../../shared/ports/metrics.js';
import { createVault } from '../../shared/services/vault.js';
import { useTestTable } from '../support/dynamo.js';
import { aTestEvidenceSigner } from '../support/evidence-signer.js';
import { aCard, aListing, storesOn, uniqueId } from '../support/store-builders.js';
import { TestClock } from '../support/test-clock.js';

/**
 * The listing's card pools (sparse gsi2 keys on available and held cards): order placement
 * reads a few index entries whatever the listing's size, and keeps every invariant of the
 * reservation on listings of a few hundred cards, with real concurrent calls on DynamoDB Local.
 */
const table = useTestTable();
const stores = storesOn(table);
const { catalog } = stores;

/** Items the vault's queries read from the table (`ScannedCount`), counted on the test's own client. */
let scanned = 0;
table.doc.middlewareStack.add(
  (next) => async (args) => {
    const result = await next(args);
    const output = result.output as { ScannedCount?: number };
    scanned += output.ScannedCount ?? 0;
    return result;
  },
  { step: 'initialize', name: 'countScanned' },
);

/** A listing of `count` available cards, written 10 at a time (DynamoDB Local takes a few hundred writes a second). */
async function aStockedListing(_stores: typeof stores, { count }: { count: number }) {
  const listing = aListing();
  await catalog.createListing(listing);
  const cards = Array.from({ length: count }, () => aCard(listing));
  for (let i = 0; i < cards.length; i += 10)
    await Promise.all(cards.slice(i, i + 10).map((c) => catalog.addCard(c)));
  return { listing, cards };
}

function vaultAt(clock: TestClock) {
  const never = () => Promise.reject(new Error('no issuer or cipher in these tests'));
  return createVault({
    stores,
    cipher: { encrypt: never, fingerprint: never, decrypt: never },
    webhookSecrets: { seal: never },
    issuer: { check: never },
    clock,
    ids: ulidIdGenerator,
    endpointUrls: endpointUrlPolicy('aws'),
    evidenceSigner: aTestEvidenceSigner(),
    linkKeys: new LocalLinkMac(randomBytes(32)),
    logger: createLogger({ level: 'silent' }),
    settings: defaultSettings,
    metrics: noMetrics,
  });
}

const place = (
  vault: ReturnType<typeof vaultAt>,
  listing: { tenantId: string; listingId: string },
  quantity = 1,
) =>
  vault.orders.place(
    listing.tenantId,
    { listingId: listing.listingId, buyerId: uniqueId('buyer'), quantity },
    uniqueId('order'),
  );

const cardIdsOf = (orders: readonly Order[]) => orders.flatMap((o) => o.cards.map((c) => c.cardId));

// Stocking a few hundred cards takes DynamoDB Local seconds; more on a loaded machine.
describe('card pools on a large listing', { timeout: 90_000 }, () => {
  it('places an order reading a few dozen items, not the listing, and picks available cards only', async () => {
    const vault = vaultAt(new TestClock());
    const { listing, cards } = await aStockedListing(stores, { count: 300 });
    const taken = await Promise.all([place(vault, listing, 20), place(vault, listing, 20)]);
    const [withdrawn] = cards.filter((c) => !cardIdsOf(taken).includes(c.cardId));
    if (!withdrawn) throw new Error('no card left to withdraw');
    await catalog.withdrawCard(withdrawn, new Date().toISOString());

    scanned = 0;
    const order = await place(vault, listing);
    // Before the pools the pick read the whole partition with a filter (300 items here).
    expect(scanned).toBeLessThanOrEqual(60);

    const picks = await Promise.all(
      [1, 2].map(() => catalog.findAvailableCards(listing.tenantId, listing.listingId, 25)),
    );
    const unavailable = new Set([...cardIdsOf([...taken, order]), withdrawn.cardId]);
    for (const pick of picks) {
      expect(pick).toHaveLength(25);
      expect(new Set(pick.map((c) => c.cardId)).size).toBe(25);
      expect(pick.filter((c) => c.state !== 'available' || unavailable.has(c.cardId))).toEqual([]);
    }
    // From a random point of the pool: two buyers do not both start at the listing's first cards.
    expect(picks[0]?.map((c) => c.cardId)).not.toEqual(picks[1]?.map((c) => c.cardId));

    const { stock } = await vault.listings.get(listing.tenantId, listing.listingId);
    expect(stock).toMatchObject({ available: 258, reserved: 41, withdrawn: 1 });
  });

  it('keeps pool keys on a card only while it is available or held on a payment clock', async () => {
    const vault = vaultAt(new TestClock());
    const { listing } = await aStockedListing(stores, { count: 3 });
    const order = await place(vault, listing);
    const [held] = order.cards;
    if (!held) throw new Error('no card');
    const raw = async () =>
      (
        await table.doc.send(
          new GetCommand({
            TableName: table.tableName,
            Key: keys.card(listing.tenantId, listing.listingId, held.cardId),
          }),
        )
      ).Item;

    expect(await raw()).toMatchObject({ gsi2pk: keys.heldCardsOf(listing.tenantId, listing.listingId) });
    await vault.payments.record(listing.tenantId, order.orderId, uniqueId('pay'), order.amount);
    const paid = await raw();
    expect(paid?.state).toBe('reserved');
    expect(paid).not.toHaveProperty('gsi2pk');
    expect(paid).not.toHaveProperty('gsi2sk');
  });

  it('settles a lapsed reservation on a sold-out large listing before saying out of stock', async () => {
    const clock = new TestClock();
    const vault = vaultAt(clock);
    const { listing } = await aStockedListing(stores, { count: 120 });
    const holders = await Promise.all(Array.from({ length: 6 }, () => place(vault, listing, 20)));
    await expect(place(vault, listing)).rejects.toBeInstanceOf(OutOfStockError);

    clock.advance(defaultSettings.paymentTimeoutSeconds + 1);
    const order = await place(vault, listing, 20);

    expect(order.state).toBe('pending_payment');
    const heldBefore = new Set(cardIdsOf(holders));
    expect(cardIdsOf([order]).filter((id) => !heldBefore.has(id))).toEqual([]);
    for (const holder of holders) {
      expect((await stores.orders.getOrder(listing.tenantId, holder.orderId))?.state).toBe('expired');
    }
    const { stock } = await vault.listings.get(listing.tenantId, listing.listingId);
    expect(stock).toMatchObject({ available: 100, reserved: 20 });
  });

  it('never oversells the last cards of a large listing to 24 racing buyers', async () => {
    const vault = vaultAt(new TestClock());
    const { listing } = await aStockedListing(stores, { count: 125 });
    await Promise.all(Array.from({ length: 6 }, () => place(vault, listing, 20)));

    const raced = await Promise.allSettled(Array.from({ length: 24 }, () => place(vault, listing)));

    const won = raced.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const lost = raced.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(won).toHaveLength(5);
    expect(new Set(cardIdsOf(won)).size).toBe(5);
    expect(lost.every((e) => e instanceof OutOfStockError)).toBe(true);
    const { stock } = await vault.listings.get(listing.tenantId, listing.listingId);
    expect(stock).toMatchObject({ available: 0, reserved: 125 });
  });
});
