import { expect } from 'vitest';
import { type LedgerSnapshot, ledgerBreaches, type Money } from '../../bench/support/ledger.js';
import { scanTable } from './fraud-helpers.js';
import type { TestStack } from './test-stack.js';

// The invariant itself lives with the tools, so `npm run soak` checks the same sums (tools never import tests).
export {
  type LedgerLine,
  type LedgerSnapshot,
  ledgerBreaches,
  ledgerLines,
} from '../../bench/support/ledger.js';

/**
 * Orders come from a table scan (no route lists a seller's orders); balances and fines from
 * the standing service behind `GET /v1/sellers/{id}`, which answers for every tenant.
 */
export async function ledgerSnapshot(stack: TestStack): Promise<LedgerSnapshot> {
  const items = await scanTable(stack);
  const orders = items
    .filter((i) => i.entity === 'Order')
    .map((i) => ({
      tenantId: String(i.tenantId),
      sellerId: String(i.sellerId),
      amount: i.amount as Money,
      paid: typeof i.paidAt === 'string',
      refunded: i.refunded as Money,
    }));
  const parties = new Map<string, { tenantId: string; sellerId: string }>();
  for (const o of orders) parties.set(JSON.stringify([o.tenantId, o.sellerId]), o);
  const sellers = await Promise.all(
    [...parties.values()].map(async ({ tenantId, sellerId }) => {
      const standing = await stack.vault.standing.seller(tenantId, sellerId);
      return { tenantId, sellerId, balance: standing.balance, fines: standing.penalties.map((p) => p.fine) };
    }),
  );
  return { sellers, orders };
}

/** Asserts the invariant for every seller on the stack (call it in `afterEach`). */
export async function expectLedgerInvariant(stack: TestStack): Promise<void> {
  expect(
    ledgerBreaches(await ledgerSnapshot(stack)),
    'held + available + refunds + penalties == paid in',
  ).toEqual([]);
}
