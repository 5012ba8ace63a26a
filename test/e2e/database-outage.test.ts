import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPENDENCY_UNAVAILABLE_DETAIL } from '../../shared/http/problem.js';
import { expectProblem } from '../support/fraud-helpers.js';
import { aListing } from '../support/scenario.js';
import { startTestStack, type TestStack } from '../support/test-stack.js';

/** A stack on a DynamoDB Local of its own, killed halfway: the run's shared one is never touched. */
describe('DynamoDB Local dies under a running stack', () => {
  let stack: TestStack;
  const lost: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack({}, { ownDynamoDb: true, onDatabaseLost: (m) => lost.push(m) });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('reports the database up while it is', async () => {
    const res = await stack.get('/health');
    expect(res.status, res.text).toBe(200);
    expect(res.body).toEqual({ status: 'ok', checks: { database: 'up' } });
  });

  it('answers 503 dependency-unavailable on /v1 routes, says so on /health, and tells the stack', async () => {
    const { listingId } = await aListing(stack);
    const pid = stack.dynamodbPid as number;
    expect(pid).toBeGreaterThan(0);
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 50 && lost.length === 0; i++) await sleep(100);
    expect(lost.join('\n')).toMatch(/DynamoDB Local \(pid \d+.*\) exited unexpectedly/);

    for (const res of [
      await stack.get(`/v1/listings/${listingId}`),
      await stack.post('/v1/listings', {
        sellerId: 'alice',
        brand: 'demo-gift',
        faceValue: { amount: 5000, currency: 'EUR' },
        price: { amount: 4500, currency: 'EUR' },
      }),
    ]) {
      expectProblem(res, 503, 'dependency-unavailable');
      expect(res.body.detail).toBe(DEPENDENCY_UNAVAILABLE_DETAIL);
      // A retry signal a client or an SDK can act on (RFC 9110 Retry-After, in seconds).
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|DynamoDB/);
    }

    // The probe's answer is cached for a few seconds: the outage shows within that.
    let health = await stack.get('/health');
    for (let i = 0; i < 80 && health.status !== 503; i++) {
      await sleep(100);
      health = await stack.get('/health');
    }
    expectProblem(health, 503, 'dependency-unavailable');
    expect(health.body.checks).toEqual({ database: 'down' });
  });
});
