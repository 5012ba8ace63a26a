import { HttpIssuer } from '../../shared/adapters/issuer/http-issuer.js';
import { createLocalCodeCipher } from '../../shared/adapters/local-cipher/local-code-cipher.js';
import type { BenchConfig } from '../../shared/config/tool-config.js';
import { DEMO_BRANDS, demoBrand } from '../../shared/issuer-sim/demo-brands.js';
import type { BenchStack } from '../support/bench-stack.js';
import { createListing, deposit, pay, placeOrder, reveal } from '../support/sale.js';
import { percentile, runPool } from '../support/stats.js';
import { createStorageProbe } from '../support/storage-probe.js';
import { perUnit } from '../support/tally.js';
import { type Figure, figure, round } from './figure.js';

/**
 * P3: reveal p99 at `concurrency` clients against the p99 of the same reveal's bare parts at the
 * same concurrency: the DynamoDB calls it sends (by type and count, as the tally saw them), one
 * decrypt per card and, when the stack re-checks before reveal, one issuer check.
 */
export async function p3Reveal(
  b: BenchStack,
  cfg: Pick<BenchConfig, 'reveals' | 'concurrency'>,
): Promise<Figure> {
  const paid = new Array<{ orderId: string; buyerId: string; amount: unknown }>(cfg.reveals);
  await runPool(cfg.reveals, cfg.concurrency, async (i) => {
    const listingId = await createListing(b);
    // A deposit whose issuer check misses its deadline leaves the card pending: deposit another.
    for (let tries = 0; (await deposit(b, listingId, [await b.mint()])) === 0; tries++) {
      if (tries === 3) throw new Error('P3: no code was accepted for a reveal order');
    }
    const order = await placeOrder(b, listingId);
    await pay(b, order);
    paid[i] = order;
  });
  b.tally.take();
  const vault = await runPool(cfg.reveals, cfg.concurrency, async (i) => {
    const order = paid[i];
    if (order) await reveal(b, order);
  });
  const perReveal = perUnit(b.tally.take(), cfg.reveals);

  const probe = createStorageProbe(b.clients.doc, b.stack.tableName, {
    transactItems: perReveal.itemsPerTransaction,
  });
  await probe.seed(cfg.reveals);
  const steps = Object.entries(perReveal.calls).flatMap(([command, calls]) => {
    const call = probe.call(command);
    if (!call) throw new Error(`the storage probe has no ${command}`);
    return Array.from({ length: Math.round(calls) }, () => call);
  });
  const cipher = await createLocalCodeCipher({ keyFile: b.keyFile });
  const context = { tenantId: 'bench', cardId: 'bench-card' };
  const code = await b.mint();
  const sealed = await cipher.encrypt({ code }, context);
  const decrypts = Math.max(1, Math.round(perReveal.cipher.decrypt ?? 0));
  const issuer = new HttpIssuer({ mode: 'local', maxConcurrency: cfg.concurrency });
  const gift = DEMO_BRANDS[0];
  if (!gift) throw new Error('no demo brand');
  const brand = demoBrand(gift, b.stack.issuerUrl);
  const bare = await runPool(cfg.reveals, cfg.concurrency, async (i) => {
    for (const step of steps) await step(i);
    for (let d = 0; d < decrypts; d++) await cipher.decrypt(sealed, context);
    if (b.revalidates) await issuer.check(brand, { code }, { purpose: 'reveal' });
  });

  const vaultP99 = percentile(vault.durations, 99);
  const bareP99 = percentile(bare.durations, 99);
  return figure({
    id: 'P3',
    title: `reveal p99 at ${cfg.concurrency} concurrent`,
    value: vaultP99,
    bound: bareP99,
    unit: 'ms',
    boundKind: 'baseline',
    boundLabel: `p99 of its bare calls: ${steps.length} DynamoDB, ${decrypts} decrypt${b.revalidates ? ', 1 issuer check' : ''}`,
    goal: { op: '<=', ratio: 2 },
    details: {
      reveals: cfg.reveals,
      'reveal p50 ms': round(percentile(vault.durations, 50)),
      'bare p50 ms': round(percentile(bare.durations, 50)),
      ...Object.fromEntries(Object.entries(perReveal.calls).map(([c, n]) => [`${c} per reveal`, round(n)])),
      'WRU per reveal': round(perReveal.writeUnits),
      'RRU per reveal': round(perReveal.readUnits),
    },
  });
}
