import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { ulidIdGenerator } from '../../shared/adapters/ids/ulid-id-generator.js';
import { type ApiKeyRecord, apiScopes } from '../../shared/domain/api-key.js';
import type { Card } from '../../shared/domain/card.js';
import { CardNotAvailableError, DomainError, DuplicateCardError } from '../../shared/domain/errors.js';
import { useTestTable } from '../support/dynamo.js';
import {
  aCard,
  aListing,
  anOrder,
  anOrderIn,
  aStockedCard,
  aStockedListing,
  aTenant,
  placing,
  randomHex,
  rawItem,
  storesOn,
} from '../support/store-builders.js';

const table = useTestTable();
const stores = storesOn(table);
const { tenants, catalog, orders } = stores;

const anApiKey = (tenantId: string, fields: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
  keyId: randomHex(8),
  tenantId,
  secretHash: randomHex(32),
  scopes: ['read'],
  createdAt: new Date().toISOString(),
  ...fields,
});

describe('createTenant', () => {
  it('stores the tenant and its API key, found by key id', async () => {
    const tenant = aTenant();
    const apiKey = anApiKey(tenant.tenantId, { scopes: [...apiScopes] });
    await tenants.createTenant(tenant, apiKey);
    expect(await tenants.findApiKey(apiKey.keyId)).toEqual(apiKey);
    expect(await tenants.findApiKey(randomHex(8))).toBeUndefined();
  });

  it('refuses a second tenant with the same key id with a domain error, writing nothing', async () => {
    const first = aTenant();
    const apiKey = anApiKey(first.tenantId);
    await tenants.createTenant(first, apiKey);
    const second = aTenant();

    const error = await tenants
      .createTenant(second, anApiKey(second.tenantId, { keyId: apiKey.keyId }))
      .catch((e: unknown) => e);

    expect(await tenants.findApiKey(apiKey.keyId)).toEqual(apiKey);
    expect(await rawItem(table, keys.tenant(second.tenantId))).toBeUndefined();
    expect(error).toBeInstanceOf(DomainError);
  });
});

describe('API keys', () => {
  it("gives a key made before scopes every scope, as it had (the CLI's first keys)", async () => {
    const keyId = randomHex(8);
    await table.doc.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...keys.apiKey(keyId), entity: 'ApiKey', keyId, tenantId: 'tnt_legacy', secretHash: 'ab' },
      }),
    );
    expect((await tenants.findApiKey(keyId))?.scopes).toEqual([...apiScopes]);
  });

  it("lists a tenant's keys oldest first, no other tenant's, and deletes only its own", async () => {
    const tenant = aTenant();
    const other = aTenant();
    const older = anApiKey(tenant.tenantId, { createdAt: '2026-01-01T00:00:00.000Z', description: 'orders' });
    const newer = anApiKey(tenant.tenantId, {
      createdAt: '2026-01-02T00:00:00.000Z',
      scopes: ['orders', 'read'],
    });
    const theirs = anApiKey(other.tenantId);
    for (const key of [newer, older, theirs]) await tenants.putApiKey(key);

    expect(await tenants.listApiKeys(tenant.tenantId)).toEqual([older, newer]);
    await expect(tenants.putApiKey(older)).rejects.toBeInstanceOf(DomainError);

    expect(await tenants.deleteApiKey(theirs.keyId, tenant.tenantId)).toBe(false);
    expect(await tenants.findApiKey(theirs.keyId)).toEqual(theirs);
    expect(await tenants.deleteApiKey(older.keyId, tenant.tenantId)).toBe(true);
    expect(await tenants.listApiKeys(tenant.tenantId)).toEqual([newer]);
  });

  it('records when a key was used, and does not bring back a deleted one', async () => {
    const key = anApiKey(aTenant().tenantId);
    await tenants.putApiKey(key);
    await tenants.touchApiKey(key.keyId, '2026-03-01T00:00:00.000Z');
    expect((await tenants.findApiKey(key.keyId))?.lastUsedAt).toBe('2026-03-01T00:00:00.000Z');
    await tenants.deleteApiKey(key.keyId);
    await tenants.touchApiKey(key.keyId, '2026-03-01T00:01:00.000Z');
    expect(await rawItem(table, keys.apiKey(key.keyId))).toBeUndefined();
  });
});

describe('putBrand / getBrand', () => {
  it('stores a brand, replaces it on a second put, and knows no other', async () => {
    const brand = {
      brand: `brand-${randomHex(4)}`,
      issuerUrl: 'http://127.0.0.1:3001',
      codePattern: '[A-Z0-9]{16}',
      createdAt: new Date().toISOString(),
    };
    await tenants.putBrand(brand);
    expect(await tenants.getBrand(brand.brand)).toEqual(brand);

    const updated = { ...brand, issuerUrl: 'http://127.0.0.1:4001', pinPattern: '[0-9]{4}' };
    await tenants.putBrand(updated);
    expect(await tenants.getBrand(brand.brand)).toEqual(updated);
    expect(await tenants.getBrand(`brand-${randomHex(4)}`)).toBeUndefined();
  });
});

describe('createListing / getListing', () => {
  it('stores a listing its tenant reads back; another tenant gets nothing', async () => {
    const listing = aListing({ title: 'Demo gift card 50 EUR' });
    await catalog.createListing(listing);
    expect(await catalog.getListing(listing.tenantId, listing.listingId)).toEqual(listing);
    expect(await catalog.getListing(aTenant().tenantId, listing.listingId)).toBeUndefined();
  });

  it('refuses the same listing twice with a domain error and keeps the first', async () => {
    const listing = aListing();
    await catalog.createListing(listing);

    const error = await catalog
      .createListing({ ...listing, sellerId: 'someone-else' })
      .catch((e: unknown) => e);

    expect(await catalog.getListing(listing.tenantId, listing.listingId)).toEqual(listing);
    expect(error).toBeInstanceOf(DomainError);
  });
});

describe('addCard', () => {
  it('stores the card and takes its fingerprint for it', async () => {
    const listing = aListing();
    await catalog.createListing(listing);
    const card = aCard(listing);
    await catalog.addCard(card);
    expect(await catalog.getCard(card.tenantId, card.listingId, card.cardId)).toEqual(card);
    expect(await catalog.findFingerprint(card.fingerprint)).toEqual({
      tenantId: card.tenantId,
      listingId: card.listingId,
      cardId: card.cardId,
    });
  });

  it('refuses a second card with the same fingerprint, even from another tenant (F6), leaving no card', async () => {
    const { card } = await aStockedCard(stores);
    const taken = card.fingerprint;
    const sameTenant = aListing({ tenantId: card.tenantId });
    const otherTenant = aListing();
    await Promise.all([catalog.createListing(sameTenant), catalog.createListing(otherTenant)]);

    for (const listing of [sameTenant, otherTenant]) {
      const copy = aCard(listing, { fingerprint: taken });
      await expect(catalog.addCard(copy)).rejects.toBeInstanceOf(DuplicateCardError);
      expect(await catalog.getCard(copy.tenantId, copy.listingId, copy.cardId)).toBeUndefined();
    }
    expect((await catalog.findFingerprint(taken))?.cardId).toBe(card.cardId);
  });

  it('refuses a second card with the same id with a domain error, taking no fingerprint for it', async () => {
    const { listing, card } = await aStockedCard(stores);
    const copy = aCard(listing, { cardId: card.cardId });

    const error = await catalog.addCard(copy).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(DomainError);
    expect(await catalog.getCard(card.tenantId, card.listingId, card.cardId)).toEqual(card);
    expect(await catalog.findFingerprint(copy.fingerprint)).toBeUndefined();
  });
});

describe('addCards', () => {
  it('writes a batch in one go, leaving out only the cards whose fingerprint is taken', async () => {
    const { listing, card: earlier } = await aStockedCard(stores);
    const fresh = Array.from({ length: 4 }, () => aCard(listing));
    const copy = aCard(listing, { fingerprint: earlier.fingerprint });

    const taken = await catalog.addCards([...fresh.slice(0, 2), copy, ...fresh.slice(2)]);

    expect([...taken]).toEqual([copy.cardId]);
    expect(await catalog.getCard(copy.tenantId, copy.listingId, copy.cardId)).toBeUndefined();
    expect((await catalog.findFingerprint(earlier.fingerprint))?.cardId).toBe(earlier.cardId);
    for (const card of fresh) {
      expect(await catalog.getCard(card.tenantId, card.listingId, card.cardId)).toEqual(card);
      expect((await catalog.findFingerprint(card.fingerprint))?.cardId).toBe(card.cardId);
    }
    const pool = await catalog.findAvailableCards(listing.tenantId, listing.listingId, 10);
    expect(pool.map((c) => c.cardId).sort()).toEqual([earlier, ...fresh].map((c) => c.cardId).sort());
  });
});

describe('stock', () => {
  it('counts the cards of a listing by state, every state present', async () => {
    const { listing } = await aStockedListing(stores, { count: 2 });
    await catalog.addCard(aCard(listing, { state: 'pending_validation' }));
    await catalog.addCard(aCard(listing, { state: 'void' }));
    expect(
      (await catalog.stock(listing.tenantId, listing.listingId, new Date().toISOString())).counts,
    ).toEqual({
      pending_validation: 1,
      available: 2,
      reserved: 0,
      sold: 0,
      refunded: 0,
      withdrawn: 0,
      void: 1,
    });
  });

  it('names the orders still holding a card after their payment time, and only those', async () => {
    const { order } = await anOrderIn(stores, 'pending_payment');
    const { order: paid } = await anOrderIn(stores, 'paid');
    const before = await catalog.stock(order.tenantId, order.listingId, order.createdAt);
    const after = await catalog.stock(order.tenantId, order.listingId, '9999-12-31T00:00:00.000Z');
    const paidAfter = await catalog.stock(paid.tenantId, paid.listingId, '9999-12-31T00:00:00.000Z');

    expect(before).toMatchObject({ counts: { reserved: 1 }, lapsedOrderIds: [] });
    expect(after.lapsedOrderIds).toEqual([order.orderId]);
    // A paid order's cards are off the payment clock.
    expect(paidAfter).toMatchObject({ counts: { reserved: 1 }, lapsedOrderIds: [] });
  });
});

describe('findAvailableCards', () => {
  it('returns only available cards, at most the limit', async () => {
    const { listing, cards } = await aStockedListing(stores, { count: 3 });
    await catalog.addCard(aCard(listing, { state: 'pending_validation' }));
    await catalog.addCard(aCard(listing, { state: 'withdrawn' }));

    const all = await catalog.findAvailableCards(listing.tenantId, listing.listingId, 10);
    expect(all.map((c) => c.cardId).sort()).toEqual(cards.map((c) => c.cardId).sort());
    expect(all.every((c) => c.state === 'available')).toBe(true);
    expect(await catalog.findAvailableCards(listing.tenantId, listing.listingId, 2)).toHaveLength(2);
    expect(await catalog.findAvailableCards(aTenant().tenantId, listing.listingId, 10)).toEqual([]);
  });
});

describe('settlePendingCard', () => {
  it('moves a pending card to available or void with the issuer validation', async () => {
    const { cards } = await aStockedListing(stores, { count: 2, state: 'pending_validation' });
    const [toSell, toVoid] = cards as [Card, Card];
    const active = { issuerState: 'active' as const, checkedAt: new Date().toISOString() };
    const redeemed = { issuerState: 'redeemed' as const, checkedAt: new Date().toISOString() };

    const settled = (outcome: 'accepted' | 'rejected') => ({
      eventId: ulidIdGenerator.next('evt'),
      outcome,
      ...(outcome === 'rejected' ? { reason: 'already_redeemed' as const } : {}),
      at: new Date().toISOString(),
    });
    await catalog.settlePendingCard(toSell, 'available', active, settled('accepted'));
    await catalog.settlePendingCard(toVoid, 'void', redeemed, settled('rejected'));

    const sold = await catalog.getCard(toSell.tenantId, toSell.listingId, toSell.cardId);
    expect(sold).toMatchObject({ state: 'available', validation: active, updatedAt: active.checkedAt });
    const dead = await catalog.getCard(toVoid.tenantId, toVoid.listingId, toVoid.cardId);
    expect(dead).toMatchObject({ state: 'void', validation: redeemed });
  });

  it('refuses a card that is no longer pending, leaving it unchanged', async () => {
    const { card } = await aStockedCard(stores);
    const at = new Date().toISOString();
    const attempt = catalog.settlePendingCard(
      card,
      'void',
      { issuerState: 'redeemed', checkedAt: at },
      { eventId: ulidIdGenerator.next('evt'), outcome: 'rejected', reason: 'already_redeemed', at },
    );
    await expect(attempt).rejects.toBeInstanceOf(CardNotAvailableError);
    expect(await catalog.getCard(card.tenantId, card.listingId, card.cardId)).toEqual(card);
  });
});

describe('withdrawCard', () => {
  it('withdraws the card and frees its fingerprint for a new card', async () => {
    const { listing, card } = await aStockedCard(stores);
    const at = new Date().toISOString();

    await catalog.withdrawCard(card, at);

    expect(await catalog.getCard(card.tenantId, card.listingId, card.cardId)).toMatchObject({
      state: 'withdrawn',
      updatedAt: at,
    });
    expect(await catalog.findFingerprint(card.fingerprint)).toBeUndefined();
    const again = aCard(listing, { fingerprint: card.fingerprint });
    await catalog.addCard(again);
    expect((await catalog.findFingerprint(card.fingerprint))?.cardId).toBe(again.cardId);
  });

  it('refuses a card reserved since it was read, keeping the card and its fingerprint', async () => {
    const { listing, card } = await aStockedCard(stores);
    const order = anOrder(listing, [card]);
    expect(await orders.placeOrder(placing(order))).toBe('placed');

    const attempt = catalog.withdrawCard(card, new Date().toISOString());

    await expect(attempt).rejects.toBeInstanceOf(CardNotAvailableError);
    expect(await catalog.getCard(card.tenantId, card.listingId, card.cardId)).toMatchObject({
      state: 'reserved',
      orderId: order.orderId,
    });
    expect((await catalog.findFingerprint(card.fingerprint))?.cardId).toBe(card.cardId);
  });
});
