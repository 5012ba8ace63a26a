import { createDynamoStores } from '../shared/adapters/dynamodb/dynamodb-stores.js';
import { startBenchStack } from './support/bench-stack.js';
import { saleViolations } from './support/sale-invariants.js';
import { gatherSaleWorld } from './support/sale-world.js';
import { loadSoakConfig } from './support/soak-config.js';
import { type SoakLog, soakPhases } from './support/soak-phases.js';

/**
 * `npm run soak [-- --quick] [--orders N --reveals N ...]` (not in `npm test`): issue 8 item 6.
 * On a local stack of its own (DynamoDB Local in memory, 127.0.0.1 only): racing orders on a few
 * listings, payment storms (duplicate callbacks, wrong amounts, reused references), racing
 * reveals, confirms; then the sale invariants shared with test/e2e/crash-consistency. Prints
 * violations (must be 0) and throughput; exits 1 on any violation.
 */
const cfg = loadSoakConfig(process.argv.slice(2));
const say = (line: string) => process.stdout.write(`${line}\n`);
const bench = await startBenchStack({ logLevel: 'error' });
const started = performance.now();
const elapsed = () => (performance.now() - started) / 1000;
let exitCode = 0;
try {
  if (new URL(bench.stack.apiUrl).hostname !== '127.0.0.1')
    throw new Error(`refusing to soak ${bench.stack.apiUrl}`);
  say(`soak: ${JSON.stringify(cfg)}`);
  const log: SoakLog = { deposited: [], orders: [], reveals: [], payments: [], serverErrors: [], phases: [] };
  const phases = soakPhases(bench, cfg, log);
  const listingIds = await phases.stock();
  say(`stocked ${log.deposited.length} cards on ${listingIds.length} listings in ${elapsed().toFixed(1)} s`);
  const steps = [
    () => phases.raceOrders(listingIds),
    () => phases.paymentStorm(),
    () => phases.raceReveals(),
    () => phases.confirms(),
  ];
  let stoppedEarly = false;
  let printed = 0;
  for (const step of steps) {
    if (elapsed() > cfg.maxSeconds) {
      stoppedEarly = true;
      break;
    }
    await step();
    for (const p of log.phases.slice(printed))
      say(
        `${p.name.padEnd(20)} ${String(p.requests).padStart(6)} requests in ${p.seconds.toFixed(1).padStart(6)} s ` +
          `= ${(p.requests / p.seconds).toFixed(0).padStart(5)}/s  ${JSON.stringify(p.answers)}`,
      );
    printed = log.phases.length;
  }

  const world = await gatherSaleWorld({
    get: (path) => bench.api('GET', path),
    catalog: createDynamoStores({ doc: bench.clients.doc, tableName: bench.stack.tableName }).catalog,
    tenantId: await bench.stack.vault.tenants.authenticate(bench.stack.devApiKey),
    deposited: log.deposited,
    orderIds: log.orders.map((o) => o.orderId),
    reveals: log.reveals,
    payments: log.payments,
  });
  const violations = [...log.serverErrors.map((e) => `5xx: ${e}`), ...saleViolations(world)];
  const unsold = [...world.cards.values()].filter((c) => c.state === 'available').length;
  const requests = log.phases.reduce((n, p) => n + p.requests, 0);
  const seconds = log.phases.reduce((n, p) => n + p.seconds, 0);
  say(
    `orders placed ${log.orders.length} of ${cfg.orders} for ${log.deposited.length} cards (${unsold} left on sale); ` +
      `orders revealed ${new Set(log.reveals.map((r) => r.orderId)).size}; payments answered 200: ${log.payments.length}`,
  );
  say(
    `throughput: ${requests} requests in ${seconds.toFixed(1)} s = ${(requests / seconds).toFixed(0)} requests/s (run ${elapsed().toFixed(0)} s)`,
  );
  if (stoppedEarly)
    say(`stopped early: past --max-seconds ${cfg.maxSeconds}; the checks ran on what was done`);
  say(`violations: ${violations.length}`);
  for (const v of violations.slice(0, 50)) say(`  ${v}`);
  if (violations.length > 50) say(`  ... and ${violations.length - 50} more`);
  if (violations.length > 0) exitCode = 1;
} finally {
  await bench.stop();
}
process.exitCode = exitCode;
