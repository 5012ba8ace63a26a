import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { DynamoRateBucketStore } from '../../shared/adapters/dynamodb/dynamodb-rate-bucket-store.js';
import { useTestTable } from '../support/dynamo.js';

/**
 * The limiter's bucket under concurrency, against DynamoDB Local: several processes, each with
 * its own client (as Lambda containers are), take from one bucket at once. Whatever the
 * interleaving, no more pass than a token bucket allows: burst + rate x elapsed.
 */
const table = useTestTable();
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKER = 'test/support/rate-bucket-worker.ts';

interface WorkerRun {
  admitted: number;
  refused: number;
  started: number;
  ended: number;
}

function worker(args: (string | number)[]): Promise<WorkerRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, ...args.map(String)], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      if (status === 0) resolve(JSON.parse(stdout) as WorkerRun);
      else reject(new Error(`worker exited ${status}: ${stderr}`));
    });
  });
}

describe('rate bucket under concurrency (DynamoDB Local)', () => {
  it('N parallel takes from several processes never pass more than burst + rate x elapsed', async () => {
    const [processes, each, rate, burst] = [4, 40, 10, 20];
    const tenantId = `tnt_race${Date.now().toString(36)}`;
    // Every process waits for the same instant, past their start-up, so the takes overlap.
    const startAt = Date.now() + 4000;
    const runs = await Promise.all(
      Array.from({ length: processes }, () =>
        worker([inject('dynamoEndpoint'), table.tableName, tenantId, each, rate, burst, startAt]),
      ),
    );
    const admitted = runs.reduce((sum, r) => sum + r.admitted, 0);
    const refused = runs.reduce((sum, r) => sum + r.refused, 0);
    const elapsedSeconds =
      (Math.max(...runs.map((r) => r.ended)) - Math.min(...runs.map((r) => r.started))) / 1000;
    expect(admitted + refused).toBe(processes * each);
    expect(admitted).toBeLessThanOrEqual(burst + Math.floor(rate * elapsedSeconds));
    // A full bucket gives its whole burst: strict, not stingy.
    expect(admitted).toBeGreaterThanOrEqual(burst);
    expect(refused).toBeGreaterThan(0);
  }, 60_000);

  it('one tenant at its limit leaves another tenant’s bucket whole', async () => {
    const store = new DynamoRateBucketStore(table);
    const policy = { ratePerSecond: 1, burst: 3 };
    const now = new Date();
    const a = { kind: 'tenant', tenantId: `tnt_a${Date.now().toString(36)}` } as const;
    const b = { kind: 'tenant', tenantId: `tnt_b${Date.now().toString(36)}` } as const;
    const fromA = await Promise.all(Array.from({ length: 10 }, () => store.take(a, policy, now)));
    expect(fromA.filter((s) => s.admitted)).toHaveLength(3);
    const fromB = await Promise.all(Array.from({ length: 3 }, () => store.take(b, policy, now)));
    expect(fromB.every((s) => s.admitted)).toBe(true);
    // A refusal says when a token is back: one interval after the bucket emptied.
    expect(fromA.find((s) => !s.admitted)?.retryAfterSeconds).toBe(1);
  });
});

describe('a take whose write sat in a queue', () => {
  it('is judged when its write is answered, not when it set out: a slow write under the limit passes', async () => {
    const ctx = { doc: table.doc, tableName: table.tableName };
    const fast = new DynamoRateBucketStore(ctx);
    // The first write of this store waits 1.2 s before it reaches the table (a table just restarted).
    let delayed = false;
    const slowDoc = new Proxy(table.doc, {
      get(target, prop, receiver) {
        if (prop !== 'send') return Reflect.get(target, prop, receiver);
        return async (command: Parameters<typeof table.doc.send>[0]) => {
          if (!delayed) {
            delayed = true;
            await new Promise((r) => setTimeout(r, 1_200));
          }
          return target.send(command);
        };
      },
    });
    const slow = new DynamoRateBucketStore({ doc: slowDoc as typeof table.doc, tableName: table.tableName });
    // A window of 1 s (burst 1000 at 1000/s), far from full: two requests in 1.2 s.
    const policy = { ratePerSecond: 1_000, burst: 1_000 };
    const bucket = { kind: 'tenant' as const, tenantId: `slow-${Date.now()}` };
    const slowTake = slow.take(bucket, policy, new Date());
    await new Promise((r) => setTimeout(r, 1_100));
    // Sets out 1.1 s later and lands first: `tat` is now beyond the slow one's limit as it set out.
    expect((await fast.take(bucket, policy, new Date())).admitted).toBe(true);
    const late = await slowTake;
    expect(late.admitted, JSON.stringify(late)).toBe(true);
  });
});

describe('takes far below the limit, racing on one bucket', () => {
  it('refuse none: 600 concurrent takes at 100,000/s from 4 processes’ stores', async () => {
    // The bucket is full at every instant, so `tat` sits at "now" and every take races the others
    // between its two writes; a lost race must settle, not end in a refusal (a version that moved
    // its clock on every retry refused 455 of 1,000 here).
    const ctx = { doc: table.doc, tableName: table.tableName };
    const policy = { ratePerSecond: 100_000, burst: 100_000 };
    const bucket = { kind: 'tenant' as const, tenantId: `race-${Date.now()}` };
    let refused = 0;
    for (let round = 0; round < 3; round++) {
      const stores = Array.from({ length: 4 }, () => new DynamoRateBucketStore(ctx));
      const takes = Array.from({ length: 200 }, (_, i) =>
        (stores[i % 4] as DynamoRateBucketStore).take(bucket, policy, new Date()),
      );
      refused += (await Promise.all(takes)).filter((state) => !state.admitted).length;
    }
    expect(refused).toBe(0);
  });
});
