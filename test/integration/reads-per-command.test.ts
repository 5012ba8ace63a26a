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
import { createLocalWebhookSecretCipher } from '../../shared/adapters/local-cipher/local-webhook-secret-cipher.js';
import { createLogger } from '../../shared/adapters/logging/json-logger.js';
import { endpointUrlPolicy } from '../../shared/adapters/webhook-http/endpoint-url-policy.js';
import { defaultSettings } from '../../shared/domain/vault-settings.js';
import { DEMO_GIFT_BRAND, demoBrand } from '../../shared/issuer-sim/demo-brands.js';
import { type IssuerSimServer, startIssuerSim } from '../../shared/issuer-sim/issuer-sim-server.js';
import { systemClock } from '../../shared/ports/clock.js';
import { noMetrics } from '../../shared/ports/metrics.js';
import { createVault } from '../../shared/services/vault.js';
import { useTestTable } from '../support/dynamo.js';
import { aTestEvidenceSigner } from '../support/evidence-signer.js';
import { uniqueId } from '../support/store-builders.js';

/** What one command read, by item sort key (`ORDER`, `SELLER`, `LISTING`, `PAY#...`, ...). */
type Reads = string[];

/**
 * The GetItem calls each command of a full sale makes on DynamoDB Local, seen by an SDK
 * middleware: every command reads the order at most once per attempt, and a sale's reads stay
 * within the budget of issue 8 (<= 10 GetItem for listing, deposit, order, payment, reveal, confirm),
 * plus the one read of the seller's budget of rejected codes a deposit makes (issue 19).
 */
describe('reads per command', () => {
  const table = useTestTable();
  const stores = createDynamoStores(table);
  let reads: Reads = [];
  table.client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'GetItemCommand') {
        // Document form or marshalled, whichever this step sees.
        const sk = (args.input as { Key?: { sk?: string | { S?: string } } }).Key?.sk;
        reads.push(String(typeof sk === 'string' ? sk : sk?.S));
      }
      return next(args);
    },
    { step: 'initialize', name: 'readRecorder' },
  );
  const take = async (work: () => Promise<unknown>): Promise<Reads> => {
    reads = [];
    await work();
    return reads;
  };
  let sim: IssuerSimServer;
  let vault: ReturnType<typeof createVault>;
  beforeAll(async () => {
    sim = await startIssuerSim({ port: 0 });
    const dir = await mkdtemp(join(tmpdir(), 'card-vault-reads-'));
    vault = createVault({
      stores,
      cipher: await createLocalCodeCipher({ keyFile: join(dir, 'keys.json') }),
      webhookSecrets: await createLocalWebhookSecretCipher({ keyFile: join(dir, 'keys.json') }),
      issuer: new HttpIssuer({ mode: 'local' }),
      clock: systemClock,
      ids: ulidIdGenerator,
      endpointUrls: endpointUrlPolicy('aws'),
      evidenceSigner: aTestEvidenceSigner(),
      linkKeys: new LocalLinkMac(randomBytes(32)),
      logger: createLogger({ level: 'silent' }),
      metrics: noMetrics,
      settings: defaultSettings,
    });
    await stores.tenants.putBrand(demoBrand(DEMO_GIFT_BRAND, sim.url));
  });
  afterAll(() => sim?.close());

  async function mint(): Promise<string> {
    const minted = await fetch(`${sim.url}/cards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ brand: DEMO_GIFT_BRAND.brand, amount: 5000, currency: 'EUR' }),
    });
    return ((await minted.json()) as { code: string }).code;
  }

  it('reads the order once in payment, reveal, confirm and a replayed payment, and a sale in at most 11 reads (10, and the deposit budget)', async () => {
    const { tenant } = await vault.tenants.create(uniqueId('marketplace'));
    const { tenantId } = tenant;
    const code = await mint();
    // A process that has served a sale before has the brand kept (BRAND_CACHE_SECONDS).
    await vault.listings.create(tenantId, {
      sellerId: uniqueId('seller'),
      brand: DEMO_GIFT_BRAND.brand,
      faceValue: { amount: 5000, currency: 'EUR' },
      price: { amount: 4500, currency: 'EUR' },
    });
    const buyerId = uniqueId('buyer');
    const paymentRef = uniqueId('pay');
    let listingId = '';
    let orderId = '';
    let amount = { amount: 0, currency: 'EUR' };
    const perCommand = {
      listing: await take(async () => {
        const listing = await vault.listings.create(tenantId, {
          sellerId: uniqueId('seller'),
          brand: DEMO_GIFT_BRAND.brand,
          faceValue: { amount: 5000, currency: 'EUR' },
          price: { amount: 4500, currency: 'EUR' },
        });
        listingId = listing.listingId;
      }),
      deposit: await take(() => vault.deposits.deposit(tenantId, listingId, [{ code }])),
      order: await take(async () => {
        const order = await vault.orders.place(
          tenantId,
          { listingId, buyerId, quantity: 1 },
          uniqueId('key'),
        );
        orderId = order.orderId;
        amount = order.amount;
      }),
      payment: await take(() => vault.payments.record(tenantId, orderId, paymentRef, amount)),
      reveal: await take(() => vault.reveals.reveal(tenantId, orderId, buyerId, uniqueId('reveal'))),
      confirm: await take(() => vault.orders.confirm(tenantId, orderId, buyerId)),
    };
    const replayedPayment = await take(() => vault.payments.record(tenantId, orderId, paymentRef, amount));

    const orderReads = (r: Reads) => r.filter((sk) => sk === 'ORDER').length;
    expect(orderReads(perCommand.order)).toBe(0);
    expect(orderReads(perCommand.payment)).toBe(1);
    expect(orderReads(perCommand.reveal)).toBe(1);
    expect(orderReads(perCommand.confirm)).toBe(1);
    expect(orderReads(replayedPayment)).toBe(1);
    // A replay is answered from the order: no read of the payment record.
    expect(replayedPayment).toEqual(['ORDER']);
    // The reveal compares against the face value the order keeps: no read of the listing.
    expect(perCommand.reveal.filter((sk) => sk === 'LISTING')).toEqual([]);
    // No command reads the same item twice.
    for (const r of Object.values(perCommand)) expect(new Set(r).size).toBe(r.length);
    // The brand is kept, and the sale stays within budget.
    const all = Object.values(perCommand).flat();
    expect(all.filter((sk) => sk === 'BRAND')).toEqual([]);
    expect(perCommand.deposit.filter((sk) => sk === 'DEPOSITBUDGET')).toEqual(['DEPOSITBUDGET']);
    expect(all.length).toBeLessThanOrEqual(11);
  });

  it('reads an order placed again with its Idempotency-Key once more, and reserves nothing new', async () => {
    const { tenant } = await vault.tenants.create(uniqueId('marketplace'));
    const listing = await vault.listings.create(tenant.tenantId, {
      sellerId: uniqueId('seller'),
      brand: DEMO_GIFT_BRAND.brand,
      faceValue: { amount: 5000, currency: 'EUR' },
      price: { amount: 4500, currency: 'EUR' },
    });
    await vault.deposits.deposit(tenant.tenantId, listing.listingId, [{ code: await mint() }]);
    const input = { listingId: listing.listingId, buyerId: uniqueId('buyer'), quantity: 1 };
    const key = uniqueId('key');
    const first = await vault.orders.place(tenant.tenantId, input, key);
    // The only card is now reserved: the replay must still answer the first order.
    const again = await vault.orders.place(tenant.tenantId, input, key);
    expect(again.orderId).toBe(first.orderId);
  });
});
