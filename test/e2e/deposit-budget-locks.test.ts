import { describe, expect, it } from 'vitest';
import { createDynamoClients } from '../../shared/adapters/dynamodb/dynamodb-clients.js';
import { createDynamoStores } from '../../shared/adapters/dynamodb/dynamodb-stores.js';
import { runAdminCli } from '../support/admin-cli.js';
import { expectProblem, issuerChecks, wrongCodes } from '../support/fraud-helpers.js';
import { aListing, mintCode } from '../support/scenario.js';
import { type TestStack, useTestStack } from '../support/test-stack.js';

/** Issue 19 item 1: the third lock in 7 days lasts until an operator unlocks the seller. */
const BUDGET = 3;
const stack = useTestStack({ DEPOSIT_REJECT_BUDGET: String(BUDGET) });
const decision = { note: 'spoke with the seller', decidedBy: 'agent-7' };

/** Spends the seller's budget with codes the issuer never issued: one lock. */
async function lockOnce(s: TestStack, listingId: string) {
  const res = await s.post(`/v1/listings/${listingId}/cards`, {
    cards: wrongCodes(BUDGET).map((code) => ({ code })),
  });
  expect(res.status, res.text).toBe(200);
  expect(res.body.results.map((r: { reason: string }) => r.reason)).toEqual(
    Array(BUDGET).fill('invalid_code'),
  );
}

async function lockThrice(s: TestStack, listingId: string) {
  for (let i = 0; i < 3; i++) {
    await lockOnce(s, listingId);
    if (i < 2) s.clock.advance(3_601);
  }
}

/** The operator CLI on this stack's table. */
const cli = (s: TestStack, ...args: string[]) =>
  runAdminCli({ endpoint: s.dynamodbEndpoint, tableName: s.tableName }, ...args);

describe('deposit locks that wait for an operator', () => {
  it('keeps a seller locked 3 times in 7 days locked past the hour, until the unlock route', async () => {
    const s = stack.current;
    const { listingId, sellerId } = await aListing(s);
    // Not locked: nothing to unlock, nothing recorded.
    expectProblem(await s.post(`/v1/sellers/${sellerId}/unlock-deposits`, decision), 409, 'invalid-state');

    await lockThrice(s, listingId);
    s.clock.advance(2 * 3_600);
    const before = await issuerChecks(s);
    const fresh = await mintCode(s);
    const refused = await s.post(`/v1/listings/${listingId}/cards`, { cards: [{ code: fresh.code }] });
    expectProblem(refused, 429, 'deposit-budget-exhausted');
    expect(refused.body.operatorUnlockRequired).toBe(true);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await issuerChecks(s)).toBe(before);
    expect((await s.get(`/v1/sellers/${sellerId}`)).body.deposits).toMatchObject({
      locked: true,
      operatorUnlockRequired: true,
    });

    const unlocked = await s.post(`/v1/sellers/${sellerId}/unlock-deposits`, decision);
    expect(unlocked.status, unlocked.text).toBe(200);
    expect(unlocked.body.deposits).toMatchObject({ locked: false, rejectedLastHour: 0 });
    const accepted = await s.post(`/v1/listings/${listingId}/cards`, { cards: [{ code: fresh.code }] });
    expect(accepted.body.results[0].outcome, accepted.text).toBe('accepted');
    const types = (await s.get(`/v1/sellers/${sellerId}/events`)).body.events.map(
      (e: { type: string }) => e.type,
    );
    expect(types).toEqual([
      'seller.deposits_locked',
      'seller.deposits_locked',
      'seller.deposits_locked',
      'seller.deposits_unlocked',
    ]);
    expectProblem(await s.post(`/v1/sellers/${sellerId}/unlock-deposits`, decision), 409, 'invalid-state');
  });

  it('unlocks a seller whose budget is filled by dead checks’ holds, though no lock was written', async () => {
    const s = stack.current;
    const { listingId, sellerId } = await aListing(s);
    // A deposit's process died while its checks held every slot (a Lambda killed mid-request):
    // holds older than 60 s count as rejections, so deposits are refused, with no lock item.
    const { client, doc } = createDynamoClients({ endpoint: s.dynamodbEndpoint });
    const stale = new Date(s.clock.now().getTime() - 120_000).toISOString();
    const holds = Object.fromEntries(Array.from({ length: BUDGET }, (_, i) => [`hld_dead${i}`, stale]));
    const stores = createDynamoStores({ doc, tableName: s.tableName });
    expect(
      await stores.depositBudgets.take({
        tenantId: s.devTenantId,
        sellerId,
        version: 0,
        holds,
        drop: { held: [], rejected: [] },
      }),
    ).toBe(true);
    client.destroy();
    const fresh = await mintCode(s);
    expectProblem(
      await s.post(`/v1/listings/${listingId}/cards`, { cards: [{ code: fresh.code }] }),
      429,
      'deposit-budget-exhausted',
    );
    expect((await s.get(`/v1/sellers/${sellerId}`)).body.deposits).toMatchObject({ locked: true });

    const unlocked = await s.post(`/v1/sellers/${sellerId}/unlock-deposits`, decision);
    expect(unlocked.status, unlocked.text).toBe(200);
    expect(unlocked.body.deposits).toMatchObject({ locked: false });
    const accepted = await s.post(`/v1/listings/${listingId}/cards`, { cards: [{ code: fresh.code }] });
    expect(accepted.body.results[0].outcome, accepted.text).toBe('accepted');
  });

  it('is unlocked by the operator CLI too', async () => {
    const s = stack.current;
    const { listingId, sellerId } = await aListing(s);
    await lockThrice(s, listingId);
    s.clock.advance(2 * 3_600);
    const run = await cli(
      s,
      'seller',
      'unlock-deposits',
      s.devTenantId,
      sellerId,
      '--note',
      'checked',
      '--by',
      'ops-1',
    );
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`deposits of seller ${sellerId}`);
    expect((await s.get(`/v1/sellers/${sellerId}`)).body.deposits.locked).toBe(false);
    const again = await cli(
      s,
      'seller',
      'unlock-deposits',
      s.devTenantId,
      sellerId,
      '--note',
      'n',
      '--by',
      'ops-1',
    );
    expect(again.status).toBe(1);
  });
});
