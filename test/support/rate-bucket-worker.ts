/**
 * One process of test/integration/rate-bucket-concurrency.test.ts: its own DynamoDB client, `n`
 * takes at once from one bucket, then prints what it was given and when it started and ended.
 * Usage: rate-bucket-worker.ts <endpoint> <table> <tenantId> <n> <rate> <burst> <startAtMs>
 */
import { createDynamoClients } from '../../shared/adapters/dynamodb/dynamodb-clients.js';
import { DynamoRateBucketStore } from '../../shared/adapters/dynamodb/dynamodb-rate-bucket-store.js';

const [endpoint, tableName, tenantId, n, rate, burst, startAt] = process.argv.slice(2);
const { doc, client } = createDynamoClients({ endpoint: endpoint as string });
const store = new DynamoRateBucketStore({ doc, tableName: tableName as string });
const policy = { ratePerSecond: Number(rate), burst: Number(burst) };
// Every process starts together, on the wall clock, so the takes really overlap.
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
const started = Date.now();
const states = await Promise.all(
  Array.from({ length: Number(n) }, () =>
    store.take({ kind: 'tenant', tenantId: tenantId as string }, policy, new Date()),
  ),
);
const ended = Date.now();
client.destroy();
process.stdout.write(
  JSON.stringify({
    admitted: states.filter((s) => s.admitted).length,
    refused: states.filter((s) => !s.admitted).length,
    started,
    ended,
  }),
);
