import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLocalConfig } from '../shared/config/config.js';
import { loadBenchConfig } from '../shared/config/tool-config.js';
import { startLocalStack } from '../shared/local/local-stack.js';

/**
 * `npm run bench`: each command's latency over HTTP on this machine (DynamoDB Local in memory,
 * the simulated issuer, the local cipher) and its round trips: DynamoDB calls by command and
 * cipher calls (KMS calls in AWS). Figures, not assertions.
 */
const ITERATIONS = loadBenchConfig().iterations;
const calls = new Map<string, number>();
const count = (name: string) => calls.set(name, (calls.get(name) ?? 0) + 1);

const stack = await startLocalStack(
  loadLocalConfig({
    PORT: '0',
    ISSUER_SIM_PORT: '0',
    DYNAMODB_PORT: '0',
    IN_MEMORY: '1',
    TABLE_NAME: 'card-vault-bench',
    LOG_LEVEL: 'warn',
    LOCAL_KEY_FILE: join(await mkdtemp(join(tmpdir(), 'card-vault-bench-')), 'keys.json'),
  }),
  { observe: { dynamo: (c) => count(`ddb:${c.replace(/Command$/, '')}`), cipher: (c) => count(`kms:${c}`) } },
);

async function http(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.devApiKey}`, 'content-type': 'application/json', ...headers },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const json = (await response.json()) as any;
  if (response.status >= 400)
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

async function mint(): Promise<string> {
  const r = await fetch(`${stack.issuerUrl}/cards`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ brand: 'demo-gift', amount: 5000, currency: 'EUR' }),
  });
  return ((await r.json()) as { code: string }).code;
}

interface Row {
  command: string;
  samples: number[];
  roundTrips: Map<string, number>;
}
const rows = new Map<string, Row>();

/** Times one call and attributes the DynamoDB/cipher calls made during it (calls run one at a time). */
async function measure<T>(command: string, fn: () => Promise<T>): Promise<T> {
  calls.clear();
  const started = performance.now();
  const result = await fn();
  const ms = performance.now() - started;
  const row = rows.get(command) ?? { command, samples: [], roundTrips: new Map(calls) };
  row.samples.push(ms);
  rows.set(command, row);
  return result;
}

const listing = () =>
  http('POST', '/v1/listings', {
    sellerId: `seller-${Math.random().toString(36).slice(2)}`,
    brand: 'demo-gift',
    faceValue: { amount: 5000, currency: 'EUR' },
    price: { amount: 4500, currency: 'EUR' },
  });

for (let i = 0; i < ITERATIONS; i++) {
  const { listingId } = await measure('POST /listings', listing);
  const code = await mint();
  const [card] = (
    await measure('POST /cards (1 card)', () =>
      http('POST', `/v1/listings/${listingId}/cards`, { cards: [{ code }] }),
    )
  ).results;
  const order = await measure('POST /orders', () =>
    http(
      'POST',
      '/v1/orders',
      { listingId, buyerId: `buyer-${i}` },
      { 'idempotency-key': `bench-${i}-${Date.now()}` },
    ),
  );
  await measure('GET /orders/{id}', () => http('GET', `/v1/orders/${order.orderId}`));
  await measure('POST /payment', () =>
    http('POST', `/v1/orders/${order.orderId}/payment`, {
      paymentRef: `pay-${i}-${Date.now()}`,
      amount: order.amount,
    }),
  );
  await measure('POST /reveal', () =>
    http(
      'POST',
      `/v1/orders/${order.orderId}/reveal`,
      { buyerId: `buyer-${i}` },
      { 'idempotency-key': `r-${i}-${Date.now()}` },
    ),
  );
  await measure('POST /reports', () =>
    http('POST', `/v1/orders/${order.orderId}/reports`, {
      buyerId: `buyer-${i}`,
      cardId: card.cardId,
      reason: 'already_redeemed',
    }),
  );
  await measure('POST /confirm', () =>
    http('POST', `/v1/orders/${order.orderId}/confirm`, { buyerId: `buyer-${i}` }),
  );
}
{
  const { listingId } = await listing();
  for (let i = 0; i < Math.max(3, ITERATIONS / 10); i++) {
    const codes = await Promise.all(Array.from({ length: 50 }, mint));
    await measure('POST /cards (50 cards)', () =>
      http('POST', `/v1/listings/${listingId}/cards`, { cards: codes.map((code) => ({ code })) }),
    );
  }
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;
console.log(
  `card-vault bench: ${ITERATIONS} sales over HTTP, DynamoDB Local ${stack.dynamodbEndpoint} (in memory), node ${process.version}\n`,
);
console.log(
  `${'command'.padEnd(24)} ${'n'.padStart(4)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}  round trips per call (first call)`,
);
for (const row of rows.values()) {
  const trips = [...row.roundTrips.entries()]
    .filter(([name]) => !name.endsWith('GetItem') || true)
    .map(([name, n]) => `${name}×${n}`)
    .join(' ');
  console.log(
    `${row.command.padEnd(24)} ${String(row.samples.length).padStart(4)} ${pct(row.samples, 50).toFixed(1).padStart(8)} ${pct(row.samples, 95).toFixed(1).padStart(8)}  ${trips}`,
  );
}
console.log('\nddb:GetItem on every /v1 call includes the API-key lookup (1 GetItem).');

// Contention: 16 concurrent reveals of one paid order, 10 concurrent orders for one card.
{
  const { listingId } = await listing();
  await http('POST', `/v1/listings/${listingId}/cards`, { cards: [{ code: await mint() }] });
  const order = await http(
    'POST',
    '/v1/orders',
    { listingId, buyerId: 'racer' },
    { 'idempotency-key': `race-${Date.now()}` },
  );
  await http('POST', `/v1/orders/${order.orderId}/payment`, {
    paymentRef: `race-pay-${Date.now()}`,
    amount: order.amount,
  });
  const started = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: 16 }, (_, i) =>
      http(
        'POST',
        `/v1/orders/${order.orderId}/reveal`,
        { buyerId: 'racer' },
        { 'idempotency-key': `race-r-${i}` },
      ),
    ),
  );
  console.log(
    `\n16 concurrent reveals of one order: ${results.filter((r) => r.status === 'fulfilled').length} delivered, ${(performance.now() - started).toFixed(0)} ms for all`,
  );
}
{
  const { listingId } = await listing();
  await http('POST', `/v1/listings/${listingId}/cards`, { cards: [{ code: await mint() }] });
  const started = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: 10 }, (_, i) =>
      http(
        'POST',
        '/v1/orders',
        { listingId, buyerId: `b${i}` },
        { 'idempotency-key': `last-${i}-${Date.now()}` },
      ),
    ),
  );
  console.log(
    `10 concurrent orders for the last card: ${results.filter((r) => r.status === 'fulfilled').length} reserved, ${(performance.now() - started).toFixed(0)} ms for all`,
  );
}
await stack.stop();
