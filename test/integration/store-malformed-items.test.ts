import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { type Key, keys } from '../../shared/adapters/dynamodb/keys.js';
import { MalformedItemError } from '../../shared/adapters/dynamodb/parse-item.js';
import { DUE_INDEX, SELLER_INDEX } from '../../shared/adapters/dynamodb/table-definition.js';
import { newId } from '../../shared/adapters/ids/ulid-id-generator.js';
import { useTestTable } from '../support/dynamo.js';
import {
  aCard,
  aListing,
  anOrder,
  aReport,
  randomHex,
  storesOn,
  uniqueId,
} from '../support/store-builders.js';

const table = useTestTable();
const { tenants, catalog, orders, reports, parties } = storesOn(table);

/** A value no error may echo: a card item holds ciphertext. */
const SECRET = `secret-${randomHex(8)}`;
const now = new Date().toISOString();

async function putRaw(key: Key, attributes: Record<string, unknown>): Promise<void> {
  await table.doc.send(new PutCommand({ TableName: table.tableName, Item: { ...attributes, ...key } }));
}

async function readFailure(read: () => Promise<unknown>): Promise<MalformedItemError> {
  const error = await read().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MalformedItemError);
  return error as MalformedItemError;
}

function expectNamed(error: MalformedItemError, kind: string, where: string, paths: string[]): void {
  expect(error.kind).toBe(kind);
  expect(error.key).toContain(where);
  expect(error.paths).toEqual(paths);
  expect(error.message).toContain(`malformed ${kind} item at ${error.key}`);
  expect(error.message).not.toContain(SECRET);
}

describe('reading a malformed item', () => {
  it('fails in the adapter naming the card, its key and the bad fields, never the ciphertext', async () => {
    const listing = aListing();
    const card = aCard(listing);
    const key = keys.card(card.tenantId, card.listingId, card.cardId);
    const { fingerprint: _gone, ...rest } = card;
    await putRaw(key, { ...rest, state: SECRET, ciphertext: SECRET });

    const viaGet = await readFailure(() => catalog.getCard(card.tenantId, card.listingId, card.cardId));
    expectNamed(viaGet, 'card', `${key.pk} / ${key.sk}`, ['state', 'fingerprint']);
    const viaStock = await readFailure(() => catalog.stock(listing.tenantId, listing.listingId, now));
    expectNamed(viaStock, 'card', `${key.pk} / ${key.sk}`, ['state']);
  });

  it('fails for an available card missing its validation, when listing available cards', async () => {
    const listing = aListing();
    const { validation: _gone, ...card } = aCard(listing);
    const pool = keys.availableCard(card.tenantId, card.listingId, card.cardId);
    await putRaw(keys.card(card.tenantId, card.listingId, card.cardId), { ...card, ...pool });

    for (const read of ['pool', 'consistent'] as const) {
      const error = await readFailure(() =>
        catalog.findAvailableCards(listing.tenantId, listing.listingId, 5, read),
      );
      expectNamed(error, 'card', card.cardId, ['validation']);
    }
  });

  it('fails for an order whose money is not whole minor units, naming the nested field', async () => {
    const order = anOrder(aListing(), []);
    const key = keys.order(order.tenantId, order.orderId);
    await putRaw(key, { ...order, amount: { amount: 10.5, currency: SECRET }, version: SECRET });

    const error = await readFailure(() => orders.getOrder(order.tenantId, order.orderId));
    expectNamed(error, 'order', key.pk, ['amount.amount', 'version']);
  });

  it('fails for each other kind the stores read, naming kind, key and field', async () => {
    const tenantId = newId('tnt');
    const orderId = newId('ord');
    const sellerId = uniqueId('seller');
    const keyId = randomHex(8);
    const brand = `brand-${randomHex(4)}`;
    const fingerprint = randomHex(32);
    const listing = aListing({ tenantId });
    const order = anOrder(listing, [], { orderId });
    const report = aReport(order, newId('crd'));
    const cases: Array<{
      kind: string;
      key: Key;
      item: Record<string, unknown>;
      paths: string[];
      read: () => Promise<unknown>;
    }> = [
      {
        kind: 'api key',
        key: keys.apiKey(keyId),
        item: { tenantId, keyId, secretHash: 42 },
        paths: ['secretHash'],
        read: () => tenants.findApiKey(keyId),
      },
      {
        kind: 'brand',
        key: keys.brand(brand),
        item: { brand, issuerUrl: SECRET, createdAt: now },
        paths: ['codePattern'],
        read: () => tenants.getBrand(brand),
      },
      {
        kind: 'listing',
        key: keys.listing(tenantId, listing.listingId),
        item: { ...listing, price: SECRET },
        paths: ['price'],
        read: () => catalog.getListing(tenantId, listing.listingId),
      },
      {
        kind: 'fingerprint',
        key: keys.fingerprint(fingerprint),
        item: { tenantId, listingId: listing.listingId },
        paths: ['cardId'],
        read: () => catalog.findFingerprint(fingerprint),
      },
      {
        kind: 'event',
        key: keys.event(tenantId, orderId, 'evt-1'),
        item: { eventId: 'evt-1', orderId, type: 'order.placed', actor: SECRET, at: now },
        paths: ['actor'],
        read: () => orders.listEvents(tenantId, orderId),
      },
      {
        kind: 'idempotency',
        key: keys.idempotency(tenantId, 'orders', 'hash-1'),
        item: { requestHash: 'r', status: SECRET, body: {} },
        paths: ['status'],
        read: () => orders.getIdempotency(tenantId, 'orders', 'hash-1', new Date()),
      },
      {
        kind: 'payment',
        key: keys.payment(tenantId, orderId, 'pay-1'),
        item: { amount: order.amount, outcome: { kind: 'refund_due', reason: SECRET } },
        paths: ['outcome.reason'],
        read: () => orders.getPayment(tenantId, orderId, 'pay-1'),
      },
      {
        kind: 'report',
        key: keys.report(tenantId, orderId, report.cardId),
        item: { ...report, evidence: { ...report.evidence, rationale: undefined } },
        paths: ['evidence.rationale'],
        read: () => reports.getReport(tenantId, orderId, report.cardId),
      },
      {
        kind: 'seller',
        key: keys.seller(tenantId, sellerId),
        item: { sellerId, status: 'active', balHeld_EUR: SECRET },
        paths: ['balHeld_EUR'],
        read: () => parties.getSeller(tenantId, sellerId),
      },
      {
        kind: 'penalty',
        key: keys.penalty(tenantId, sellerId, 'pen-1'),
        item: { sellerId, penaltyId: 'pen-1', orderId, reportId: 'r', cardId: 'c', at: now },
        paths: ['fine'],
        read: () => parties.listPenalties(tenantId, sellerId),
      },
      {
        kind: 'buyer',
        key: keys.buyer(tenantId, order.buyerId),
        item: { buyerId: order.buyerId, reportsTotal: SECRET },
        paths: ['reportsTotal'],
        read: () => parties.getBuyer(tenantId, order.buyerId),
      },
    ];
    for (const { kind, key, item, paths, read } of cases) {
      await putRaw(key, item);
      expectNamed(await readFailure(read), kind, `${key.pk} / ${key.sk}`, paths);
    }
  });

  it('fails for an index row without its order id, naming the index partition', async () => {
    const tenantId = newId('tnt');
    const sellerId = uniqueId('seller');
    const open = keys.sellerOpenOrders(tenantId, sellerId);
    await putRaw(keys.order(tenantId, newId('ord')), {
      tenantId,
      ...keys.due(newId('ord'), '2000-01-01T00:00:00.000Z'),
      gsi2pk: open,
      gsi2sk: `${now}#x`,
    });

    expectNamed(await readFailure(() => orders.listDueOrders(now, 10)), 'due order', DUE_INDEX, ['orderId']);
    expectNamed(
      await readFailure(() => orders.listOpenSellerOrders(tenantId, sellerId)),
      'open order',
      `${SELLER_INDEX} ${open}`,
      ['orderId'],
    );
  });
});
