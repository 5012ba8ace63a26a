import { HttpIssuer } from '../../shared/adapters/issuer/http-issuer.js';
import { createLocalCodeCipher } from '../../shared/adapters/local-cipher/local-code-cipher.js';
import type { BenchConfig } from '../../shared/config/tool-config.js';
import { normalizeCode } from '../../shared/domain/brand.js';
import { MAX_CARDS_PER_DEPOSIT } from '../../shared/http/routes/deposit-routes.js';
import { DEMO_BRANDS, demoBrand } from '../../shared/issuer-sim/demo-brands.js';
import { CHECKS_IN_FLIGHT_PER_DEPOSIT, WRITE_BATCH } from '../../shared/services/deposit-service.js';
import type { BenchStack } from '../support/bench-stack.js';
import { createListing, deposit, depositOutcomes, placeOrder } from '../support/sale.js';
import { percentile, runPool } from '../support/stats.js';
import { type Figure, figure, round } from './figure.js';
import { measureCommandRates } from './storage-ceiling.js';

const SMALL_LISTING = 10;
/** Orders taken from each small listing, so it stays near its size while timed. */
const ORDERS_PER_SMALL_LISTING = 5;

const mintMany = async (b: BenchStack, count: number, concurrency: number) => {
  const codes = new Array<string>(count);
  await runPool(count, concurrency, async (i) => {
    codes[i] = await b.mint();
  });
  return codes;
};

/**
 * P5: `cards` codes deposited in one listing against the same codes checked with the issuer and
 * sealed directly at `concurrency` codes in flight; then order p50 on that listing against
 * 10-card listings, interleaved. The deposit sends requests of MAX_CARDS_PER_DEPOSIT, as many at
 * once as keep `concurrency` codes with the issuer (each request checks
 * CHECKS_IN_FLIGHT_PER_DEPOSIT at a time): both sides then ask the issuer the same amount at once.
 * (32 requests of 500 at once put 384 codes in flight against the ceiling's 32, overloaded the
 * one process serving both, and sent most codes past the deposit's issuer budget as `pending`.)
 * Beside it, what the storage alone allows: the deposit's writes (two items a card, WRITE_BATCH
 * cards a transaction) and its fingerprint read per card, as bare calls on the same DynamoDB Local.
 */
export async function p5Bulk(
  b: BenchStack,
  cfg: Pick<BenchConfig, 'cards' | 'concurrency' | 'orderSamples' | 'probeOps'>,
): Promise<Figure[]> {
  const codes = await mintMany(b, cfg.cards, cfg.concurrency);
  const gift = DEMO_BRANDS[0];
  if (!gift) throw new Error('no demo brand');
  const brand = demoBrand(gift, b.stack.issuerUrl);
  // The ceiling is the issuer's and the cipher's at the bench's concurrency, not the vault's cap.
  const issuer = new HttpIssuer({ mode: 'local', maxConcurrency: cfg.concurrency });
  const cipher = await createLocalCodeCipher({ keyFile: b.keyFile });
  const direct = await runPool(codes.length, cfg.concurrency, async (i) => {
    const code = normalizeCode(codes[i] ?? '');
    await issuer.check(brand, { code }, { purpose: 'deposit' });
    await cipher.fingerprint(code);
    await cipher.encrypt({ code }, { tenantId: 'bench', cardId: `bench-${i}` });
  });
  const ceiling = codes.length / (direct.wallMs / 1000);

  const { rates } = await measureCommandRates(b, ['TransactWriteItems', 'GetItem'], {
    concurrency: cfg.concurrency,
    // At least 50 calls (fewer when the probe is set smaller: the bench-figures test's tiny scale).
    ops: Math.max(Math.min(50, cfg.probeOps), Math.min(400, Math.ceil(cfg.cards / WRITE_BATCH))),
    transactItems: 2 * WRITE_BATCH,
  });
  const storageCeiling = 1 / (1 / ((rates.TransactWriteItems ?? 0) * WRITE_BATCH) + 1 / (rates.GetItem ?? 0));

  const big = await createListing(b);
  const batches = Math.ceil(codes.length / MAX_CARDS_PER_DEPOSIT);
  const requestsInFlight = Math.max(1, Math.round(cfg.concurrency / CHECKS_IN_FLIGHT_PER_DEPOSIT));
  const outcomes: Record<string, number> = {};
  const deposited = await runPool(batches, requestsInFlight, async (i) => {
    const batch = codes.slice(i * MAX_CARDS_PER_DEPOSIT, (i + 1) * MAX_CARDS_PER_DEPOSIT);
    for (const [kind, n] of Object.entries((await depositOutcomes(b, big, batch)).outcomes))
      outcomes[kind] = (outcomes[kind] ?? 0) + n;
  });
  const accepted = outcomes.accepted ?? 0;
  const bulk = figure({
    id: 'P5a',
    title: `bulk deposit of ${cfg.cards} codes`,
    value: accepted / (deposited.wallMs / 1000),
    bound: ceiling,
    unit: 'codes/s',
    boundKind: 'ceiling',
    boundLabel: 'the same codes checked with the issuer and sealed directly (no storage, no HTTP API)',
    goal: { op: '>=', ratio: 0.7 },
    // Every outcome, not only `accepted`: cards past the deposit's 20 s issuer budget come back
    // `pending` (a 500-card request sharing a loaded machine with other requests can pass it),
    // and a figure showing only `accepted` hides them.
    details: {
      codes: cfg.cards,
      ...outcomes,
      'deposit requests': batches,
      'deposit requests in flight': requestsInFlight,
      'codes in flight (deposit)': requestsInFlight * CHECKS_IN_FLIGHT_PER_DEPOSIT,
      'codes in flight (ceiling)': cfg.concurrency,
      'storage ceiling codes/s': round(storageCeiling),
      'ratio to the storage ceiling': round(accepted / (deposited.wallMs / 1000) / storageCeiling),
    },
  });

  const smallCount = Math.ceil(cfg.orderSamples / ORDERS_PER_SMALL_LISTING);
  const small: string[] = [];
  for (let i = 0; i < smallCount; i++) {
    const listingId = await createListing(b);
    await deposit(b, listingId, await mintMany(b, SMALL_LISTING, cfg.concurrency));
    small.push(listingId);
  }
  const bigMs: number[] = [];
  const smallMs: number[] = [];
  const timed = async (into: number[], listingId: string) => {
    const t = performance.now();
    await placeOrder(b, listingId);
    into.push(performance.now() - t);
  };
  for (let i = 0; i < cfg.orderSamples; i++) {
    await timed(bigMs, big);
    await timed(smallMs, small[Math.floor(i / ORDERS_PER_SMALL_LISTING)] ?? big);
  }
  const order = figure({
    id: 'P5b',
    title: `order p50 on a ${accepted}-card listing`,
    value: percentile(bigMs, 50),
    bound: percentile(smallMs, 50),
    unit: 'ms',
    boundKind: 'baseline',
    boundLabel: `order p50 on ${SMALL_LISTING}-card listings, interleaved, one at a time`,
    goal: { op: '<=', ratio: 1.5 },
    details: {
      orders: cfg.orderSamples,
      'big p95 ms': round(percentile(bigMs, 95)),
      'small p95 ms': round(percentile(smallMs, 95)),
    },
  });
  return [bulk, order];
}
