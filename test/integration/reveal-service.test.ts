import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoStores } from '../../shared/adapters/dynamodb/dynamodb-stores.js';
import { ulidIdGenerator } from '../../shared/adapters/ids/ulid-id-generator.js';
import { HttpIssuer } from '../../shared/adapters/issuer/http-issuer.js';
import { createLocalCodeCipher } from '../../shared/adapters/local-cipher/local-code-cipher.js';
import { LocalLinkMac } from '../../shared/adapters/local-cipher/local-link-mac.js';
import { createLogger } from '../../shared/adapters/logging/json-logger.js';
import { endpointUrlPolicy } from '../../shared/adapters/webhook-http/endpoint-url-policy.js';
import {
  CodeAlreadyRedeemedError,
  InvalidStateError,
  RedeliveriesExhaustedError,
} from '../../shared/domain/errors.js';
import type { OrderTransition } from '../../shared/domain/order-transition.js';
import { OrderTransitions } from '../../shared/domain/order-transitions.js';
import { defaultSettings } from '../../shared/domain/vault-settings.js';
import { DEMO_GIFT_BRAND, demoBrand } from '../../shared/issuer-sim/demo-brands.js';
import { type IssuerSimServer, startIssuerSim } from '../../shared/issuer-sim/issuer-sim-server.js';
import { type Clock, systemClock } from '../../shared/ports/clock.js';
import type { CodeCipher } from '../../shared/ports/code-cipher.js';
import { noMetrics } from '../../shared/ports/metrics.js';
import type { OrderStore } from '../../shared/ports/order-store.js';
import { createVault } from '../../shared/services/vault.js';
import { useTestTable } from '../support/dynamo.js';
import { aTestEvidenceSigner } from '../support/evidence-signer.js';
import { uniqueId } from '../support/store-builders.js';
import { TestClock } from '../support/test-clock.js';

/**
 * The reveal use case on DynamoDB Local, the simulated issuer and the local cipher, with the
 * issuer and cipher calls counted: what reveal spends on KMS and the issuer, and when.
 */
describe('RevealService', () => {
  const table = useTestTable();
  const stores = createDynamoStores(table);
  const transitions = new OrderTransitions((at) => ulidIdGenerator.next('evt', at));
  let sim: IssuerSimServer;
  let cipher: CodeCipher;
  beforeAll(async () => {
    sim = await startIssuerSim({ port: 0 });
    const dir = await mkdtemp(join(tmpdir(), 'card-vault-reveal-'));
    cipher = await createLocalCodeCipher({ keyFile: join(dir, 'keys.json') });
    await stores.tenants.putBrand(demoBrand(DEMO_GIFT_BRAND, sim.url));
  });
  afterAll(() => sim?.close());

  /**
   * A vault whose issuer checks and decrypts are counted, whose order writes may be raced, and
   * whose issuer check may run code first (a slow issuer moving a test clock).
   */
  function countedVault(
    race?: (t: OrderTransition) => Promise<void>,
    options: { clock?: Clock; beforeCheck?: () => void } = {},
  ) {
    const counts = { issuerChecks: 0, decrypts: 0 };
    const issuer = new HttpIssuer({ mode: 'local' });
    const vault = createVault({
      stores: { ...stores, orders: race ? raced(stores.orders, race) : stores.orders },
      cipher: {
        encrypt: (secret, context) => cipher.encrypt(secret, context),
        fingerprint: (code) => cipher.fingerprint(code),
        decrypt: (ciphertext, context) => {
          counts.decrypts += 1;
          return cipher.decrypt(ciphertext, context);
        },
      },
      webhookSecrets: { seal: () => Promise.reject(new Error('no webhook endpoints in these tests')) },
      issuer: {
        check: (brand, secret, request) => {
          counts.issuerChecks += 1;
          options.beforeCheck?.();
          return issuer.check(brand, secret, request);
        },
      },
      clock: options.clock ?? systemClock,
      ids: ulidIdGenerator,
      endpointUrls: endpointUrlPolicy('aws'),
      evidenceSigner: aTestEvidenceSigner(),
      linkKeys: new LocalLinkMac(randomBytes(32)),
      logger: createLogger({ level: 'silent' }),
      metrics: noMetrics,
      settings: defaultSettings,
    });
    return { vault, counts };
  }

  /** A tenant, a listing with one fresh card, and a paid order for it. */
  async function aPaidOrder(vault: ReturnType<typeof createVault>) {
    const { tenant } = await vault.tenants.create(uniqueId('marketplace'));
    const { tenantId } = tenant;
    const listing = await vault.listings.create(tenantId, {
      sellerId: uniqueId('seller'),
      brand: DEMO_GIFT_BRAND.brand,
      faceValue: { amount: 5000, currency: 'EUR' },
      price: { amount: 4500, currency: 'EUR' },
    });
    const minted = await fetch(`${sim.url}/cards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ brand: DEMO_GIFT_BRAND.brand, amount: 5000, currency: 'EUR' }),
    });
    const { code } = (await minted.json()) as { code: string };
    const [deposited] = await vault.deposits.deposit(tenantId, listing.listingId, [{ code }]);
    expect(deposited?.outcome).toBe('accepted');
    const buyerId = uniqueId('buyer');
    const order = await vault.orders.place(
      tenantId,
      { listingId: listing.listingId, buyerId, quantity: 1 },
      uniqueId('order-key'),
    );
    await vault.payments.record(tenantId, order.orderId, uniqueId('pay'), order.amount);
    return { tenantId, sellerId: listing.sellerId, orderId: order.orderId, buyerId, code };
  }

  /** Releases the paid order unrevealed, as the sweeper does at its reveal deadline. */
  async function releaseUnrevealed(tenantId: string, orderId: string) {
    const order = await stores.orders.getOrder(tenantId, orderId);
    if (!order) throw new Error('no order');
    expect(await stores.orders.transition(transitions.releaseUnrevealed(order, new Date()))).toBe('done');
  }

  async function issuerCall(path: string, body: unknown) {
    const res = await fetch(`${sim.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
  }

  it('stamps revealedAt at the commit, after a slow issuer re-check, and keeps the evidence', async () => {
    const clock = new TestClock();
    const slow = { on: false };
    const { vault } = countedVault(undefined, {
      clock,
      // The issuer takes 7 s to answer (on the vault's clock).
      beforeCheck: () => {
        if (slow.on) clock.advance(7);
      },
    });
    const { tenantId, orderId, buyerId } = await aPaidOrder(vault);
    slow.on = true;
    const before = clock.now().getTime();

    const revelation = await vault.reveals.reveal(tenantId, orderId, buyerId, uniqueId('reveal-key'));

    expect(Date.parse(revelation.revealedAt)).toBeGreaterThanOrEqual(before + 7000);
    const order = await stores.orders.getOrder(tenantId, orderId);
    expect(order?.revealedAt).toBe(revelation.revealedAt);
    expect(Date.parse(order?.disputeDeadline ?? '')).toBe(
      Date.parse(revelation.revealedAt) + defaultSettings.disputeWindowSeconds * 1000,
    );
    expect(order?.cards[0]).toMatchObject({
      issuerStateAtReveal: 'active',
      balanceAtReveal: { amount: 5000, currency: 'EUR' },
    });
  });

  it('re-delivers to the same key with an event written beside the order, whose version stays', async () => {
    const { vault } = countedVault();
    const { tenantId, orderId, buyerId } = await aPaidOrder(vault);
    const key = uniqueId('reveal-key');
    const first = await vault.reveals.reveal(tenantId, orderId, buyerId, key);
    const version = (await stores.orders.getOrder(tenantId, orderId))?.version;

    const { link } = await vault.links.createRevealLink(tenantId, orderId, buyerId, {});
    const again = await vault.reveals.reveal(tenantId, orderId, buyerId, key, {
      channel: 'hosted_page',
      linkId: link.linkId,
    });

    expect(again).toEqual(first);
    expect((await stores.orders.getOrder(tenantId, orderId))?.version).toBe(version);
    const events = await stores.orders.listEvents(tenantId, orderId);
    expect(events.filter((e) => e.type === 'order.redelivered')).toEqual([
      expect.objectContaining({
        actor: 'buyer',
        data: { cardIds: first.cards.map((c) => c.cardId), channel: 'hosted_page' },
      }),
    ]);
  });

  it("counts a link's re-deliveries before opening anything: of 20 concurrent presses, LINK_REDELIVERIES pass", async () => {
    const { vault, counts } = countedVault();
    const { tenantId, orderId, buyerId } = await aPaidOrder(vault);
    const { link } = await vault.links.createRevealLink(tenantId, orderId, buyerId, {});
    const key = uniqueId('reveal-key');
    const via = { channel: 'hosted_page', linkId: link.linkId } as const;
    await vault.reveals.reveal(tenantId, orderId, buyerId, key, via);
    const opened = counts.decrypts;

    const presses = await Promise.allSettled(
      Array.from({ length: 20 }, () => vault.reveals.reveal(tenantId, orderId, buyerId, key, via)),
    );

    const max = defaultSettings.linkRedeliveries;
    expect(presses.filter((p) => p.status === 'fulfilled')).toHaveLength(max);
    const refused = presses.flatMap((p) => (p.status === 'rejected' ? [p.reason] : []));
    expect(refused).toHaveLength(20 - max);
    for (const error of refused) expect(error).toBeInstanceOf(RedeliveriesExhaustedError);
    expect(counts.decrypts - opened).toBe(max);
    const events = await stores.orders.listEvents(tenantId, orderId);
    expect(events.filter((e) => e.type === 'order.redelivered')).toHaveLength(max);
    expect(await stores.links.redeliveries(tenantId, link.linkId)).toBe(max);
  });

  it("does not count the API's retries with its own key against a link", async () => {
    const { vault } = countedVault();
    const { tenantId, orderId, buyerId } = await aPaidOrder(vault);
    const { link } = await vault.links.createRevealLink(tenantId, orderId, buyerId, {});
    const key = uniqueId('reveal-key');
    await vault.reveals.reveal(tenantId, orderId, buyerId, key);
    for (let i = 0; i < defaultSettings.linkRedeliveries + 1; i++) {
      await vault.reveals.reveal(tenantId, orderId, buyerId, key);
    }
    expect(await stores.links.redeliveries(tenantId, link.linkId)).toBe(0);
  });

  it('reveals a live order released unrevealed: it stays released, its cards sold, a dispute window open', async () => {
    const { vault } = countedVault();
    const { tenantId, sellerId, orderId, buyerId } = await aPaidOrder(vault);
    await releaseUnrevealed(tenantId, orderId);

    const revelation = await vault.reveals.reveal(tenantId, orderId, buyerId, uniqueId('reveal-key'));

    expect(revelation.cards).toHaveLength(1);
    const order = await stores.orders.getOrder(tenantId, orderId);
    expect(order).toMatchObject({ state: 'released', revealedAt: revelation.revealedAt });
    expect(order?.disputeDeadline).toBeDefined();
    const card = await stores.catalog.getCard(
      tenantId,
      order?.listingId ?? '',
      revelation.cards[0]?.cardId ?? '',
    );
    expect(card?.state).toBe('sold');
    expect((await vault.standing.seller(tenantId, sellerId)).balance).toEqual({
      EUR: { held: 0, available: 4500 },
    });

    // Its dispute window is open: an upheld report is refunded from the seller's available balance.
    const cardId = revelation.cards[0]?.cardId ?? '';
    await issuerCall('/_sim/cards/redeem-at', {
      code: revelation.cards[0]?.code,
      redeemedAt: '2020-01-01T00:00:00Z',
    });
    const report = await vault.reports.report(tenantId, orderId, {
      buyerId,
      cardId,
      reason: 'already_redeemed',
    });
    expect(report.decision).toBe('refunded');
    expect(await stores.orders.getOrder(tenantId, orderId)).toMatchObject({ state: 'refunded' });
    expect((await vault.standing.seller(tenantId, sellerId)).balance).toEqual({
      EUR: { held: 0, available: -450 },
    });
  });

  it('refunds a code released unrevealed and dead at the reveal from the seller available balance', async () => {
    const { vault } = countedVault();
    const { tenantId, sellerId, orderId, buyerId, code } = await aPaidOrder(vault);
    await releaseUnrevealed(tenantId, orderId);
    await issuerCall('/cards/spend', { code, amount: 1000 });

    const refused = vault.reveals.reveal(tenantId, orderId, buyerId, uniqueId('reveal-key'));

    await expect(refused).rejects.toBeInstanceOf(CodeAlreadyRedeemedError);
    const order = await stores.orders.getOrder(tenantId, orderId);
    expect(order).toMatchObject({ state: 'refunded', refundReason: 'code_dead_before_reveal' });
    expect(order?.revealedAt).toBeUndefined();
    expect(order?.cards[0]).toMatchObject({ balanceAtReveal: { amount: 4000, currency: 'EUR' } });
    const standing = await vault.standing.seller(tenantId, sellerId);
    expect(standing.balance).toEqual({ EUR: { held: 0, available: -450 } });
    expect(standing.strikes).toBe(1);
  });

  it('asks the issuer and opens the codes once when its first commit loses a race', async () => {
    let racedOnce = false;
    const { vault, counts } = countedVault(async (t) => {
      if (t.next.state !== 'revealed' || racedOnce) return;
      racedOnce = true;
      // Another writer changes the order between the reveal's read and its commit.
      await stores.orders.transition(transitions.touch(t.order, new Date()));
    });
    const { tenantId, orderId, buyerId } = await aPaidOrder(vault);
    counts.issuerChecks = 0;

    const revelation = await vault.reveals.reveal(tenantId, orderId, buyerId, uniqueId('reveal-key'));

    expect(racedOnce).toBe(true);
    expect(revelation.cards).toHaveLength(1);
    expect(counts).toEqual({ issuerChecks: 1, decrypts: 1 });
    const events = await stores.orders.listEvents(tenantId, orderId);
    expect(events.filter((e) => e.type === 'order.revealed')).toHaveLength(1);
  });

  it("refunds a suspended seller's paid order without opening a code or asking the issuer", async () => {
    const { vault, counts } = countedVault();
    const { tenantId, sellerId, orderId, buyerId } = await aPaidOrder(vault);
    counts.issuerChecks = 0;
    // Suspended, the cascade not yet run: the reveal itself must refuse.
    await stores.parties.suspendSeller(tenantId, sellerId, new Date().toISOString());

    const refused = vault.reveals.reveal(tenantId, orderId, buyerId, uniqueId('reveal-key'));

    await expect(refused).rejects.toBeInstanceOf(InvalidStateError);
    expect(counts).toEqual({ issuerChecks: 0, decrypts: 0 });
    expect((await vault.orders.get(tenantId, orderId)).state).toBe('refunded');
  });
});

/** The order store, with `before` run ahead of each transition write (to race it). */
function raced(orders: OrderStore, before: (t: OrderTransition) => Promise<void>): OrderStore {
  return new Proxy(orders, {
    get(target, property) {
      if (property === 'transition') {
        return async (t: OrderTransition) => {
          await before(t);
          return target.transition(t);
        };
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
