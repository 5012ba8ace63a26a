import { describe, expect, it } from 'vitest';
import { ulidIdGenerator } from '../../shared/adapters/ids/ulid-id-generator.js';
import { createLogger } from '../../shared/adapters/logging/json-logger.js';
import { InMemoryMetrics } from '../../shared/adapters/metrics/in-memory-metrics.js';
import { defaultSettings } from '../../shared/domain/vault-settings.js';
import { systemClock } from '../../shared/ports/clock.js';
import type { DepositBudgetStore } from '../../shared/ports/deposit-budget-store.js';
import { DepositBudgetGate } from '../../shared/services/deposit-budget-gate.js';
import { useTestTable } from '../support/dynamo.js';
import { aTenant, storesOn, uniqueId } from '../support/store-builders.js';

/**
 * The gate a deposit's checks pass (issue 19), on DynamoDB Local: what a check is told when no
 * slot is free, and how often a waiting gate reads the budget.
 */
const table = useTestTable();
const stores = storesOn(table);
const BUDGET = defaultSettings.depositRejectBudget;

function gateFor(seller: { tenantId: string; sellerId: string }, waitMs: number) {
  // Counts the budget reads this gate makes.
  const reads = { count: 0 };
  const real = stores.depositBudgets;
  const depositBudgets: DepositBudgetStore = Object.assign(Object.create(real), {
    get: (tenantId: string, sellerId: string) => {
      reads.count += 1;
      return real.get(tenantId, sellerId);
    },
  });
  const deps = {
    stores: { ...stores, depositBudgets },
    clock: systemClock,
    ids: ulidIdGenerator,
    logger: createLogger({ level: 'error' }),
    metrics: new InMemoryMetrics(),
    settings: defaultSettings,
  };
  return { gate: new DepositBudgetGate(deps, seller.tenantId, seller.sellerId, Date.now() + waitMs), reads };
}

const aSeller = () => ({ tenantId: aTenant().tenantId, sellerId: uniqueId('seller') });

/** Another request's checks, all in flight: every slot of the seller's budget held. */
async function everySlotHeld(seller: { tenantId: string; sellerId: string }) {
  const { gate } = gateFor(seller, 60_000);
  await gate.open();
  const slots = await Promise.all(Array.from({ length: BUDGET }, () => gate.take()));
  expect(slots.every((slot) => typeof slot === 'object')).toBe(true);
  return { gate, holdIds: slots.map((slot) => (slot as { holdId: string }).holdId) };
}

describe('DepositBudgetGate', () => {
  it('tells a check "out of time", not "spent", when slots stay held by running checks past its time', async () => {
    const seller = aSeller();
    await everySlotHeld(seller);
    const { gate } = gateFor(seller, 300);
    await gate.open();
    expect(await gate.take()).toBe('out_of_time');
    // The budget was never spent: once the holds come back, a new request checks again.
    expect(await stores.depositBudgets.get(seller.tenantId, seller.sellerId)).toMatchObject({ rejected: {} });
  });

  it('tells a check "spent" when the hour’s rejections fill the budget', async () => {
    const seller = aSeller();
    const { gate, holdIds } = await everySlotHeld(seller);
    for (const holdId of holdIds) await gate.settle(holdId, true);
    expect(await gate.take()).toBe('spent');
  });

  it('wakes at once when one of its own checks gives a slot back, and reads the budget a few times a second at most while waiting', async () => {
    const seller = aSeller();
    const { gate, reads } = gateFor(seller, 60_000);
    await gate.open();
    const slots = await Promise.all(Array.from({ length: BUDGET }, () => gate.take()));
    const before = reads.count;
    const waiting = gate.take();
    await new Promise((r) => setTimeout(r, 2000));
    // Doubling pauses up to 400 ms: about 8 reads in 2 s, where a fixed 25 ms pause made 80.
    expect(reads.count - before).toBeLessThanOrEqual(12);
    await gate.settle((slots[0] as { holdId: string }).holdId, false);
    expect(await waiting).toEqual({ holdId: expect.any(String) });
  });
});
