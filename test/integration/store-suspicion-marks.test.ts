import { describe, expect, it } from 'vitest';
import { suspicionItems } from '../../shared/adapters/dynamodb/seller-review-items.js';
import { transactWrite } from '../../shared/adapters/dynamodb/transact.js';
import type { UsedAfterRevealMark } from '../../shared/domain/seller-standing.js';
import { suspicionChange } from '../../shared/domain/seller-suspicion.js';
import { defaultSettings } from '../../shared/domain/vault-settings.js';
import { useTestTable } from '../support/dynamo.js';
import { aTenant, later, storesOn, uniqueId } from '../support/store-builders.js';

/**
 * The seller's used-after-reveal marks (issue 17) are rewritten whole by each counting report,
 * guarded by what the report read. Two reports read the same marks, one of them expired: each
 * drops it and adds its own, so both writes keep the count. The second must still lose, or the
 * first buyer's mark is gone and a colluding pair is counted as one buyer.
 */
const table = useTestTable();
const stores = storesOn(table);
const settings = defaultSettings;

const markOf = (buyerId: string, at: Date): UsedAfterRevealMark => ({
  buyerId,
  reportId: uniqueId('rpt'),
  orderId: uniqueId('ord'),
  cardId: uniqueId('crd'),
  at: at.toISOString(),
});

async function write(tenantId: string, change: ReturnType<typeof suspicionChange>) {
  const outcome = await transactWrite(table.doc, suspicionItems(table.tableName, tenantId, change), {
    onConflict: 'fail',
  });
  return outcome.ok;
}

describe('seller suspicion marks (DynamoDB Local)', () => {
  it('refuses the second of two reports that read the same marks, though each dropped an expired one', async () => {
    const { tenantId } = aTenant();
    const sellerId = uniqueId('seller');
    const long = new Date('2026-01-01T00:00:00Z');
    const now = later(long, (settings.sellerSuspicionDays + 1) * 86_400);
    expect(
      await write(
        tenantId,
        suspicionChange(sellerId, undefined, markOf('b0', long), long, settings, 'evt_0'),
      ),
    ).toBe(true);
    const read = await stores.parties.getSeller(tenantId, sellerId);
    expect(read?.usedAfterReveal).toHaveLength(1);

    // Both read the seller before either wrote: the old mark has left the window for both.
    const first = suspicionChange(sellerId, read, markOf('buyer-a', now), now, settings, 'evt_a');
    const second = suspicionChange(sellerId, read, markOf('buyer-b', now), now, settings, 'evt_b');
    expect(first.marks).toHaveLength(1);
    expect(second.marks).toHaveLength(1);

    expect(await write(tenantId, first)).toBe(true);
    expect(await write(tenantId, second)).toBe(false);
    // Read again, the second counts both buyers' marks.
    const reread = await stores.parties.getSeller(tenantId, sellerId);
    const retried = suspicionChange(
      sellerId,
      reread,
      second.marks[0] as UsedAfterRevealMark,
      now,
      settings,
      'evt_b',
    );
    expect(await write(tenantId, retried)).toBe(true);
    expect(
      (await stores.parties.getSeller(tenantId, sellerId))?.usedAfterReveal.map((m) => m.buyerId),
    ).toEqual(['buyer-a', 'buyer-b']);
  });
});
