import { describe, expect, it } from 'vitest';
import { meterDynamoClient } from '../../shared/adapters/dynamodb/capacity-meter.js';
import { createDynamoStores } from '../../shared/adapters/dynamodb/dynamodb-stores.js';
import { ulidIdGenerator } from '../../shared/adapters/ids/ulid-id-generator.js';
import { UnauthorizedError } from '../../shared/domain/errors.js';
import { apiKeyId, newApiKey, TenantService } from '../../shared/services/tenant-service.js';
import { useTestTable } from '../support/dynamo.js';
import { TestClock } from '../support/test-clock.js';

/**
 * The API-key cache on DynamoDB Local: found keys are not read again within the cache's seconds,
 * and a revoked key stops working in another process once that delay has passed (a moved clock,
 * no waiting). Each service stands for one running process with its own cache.
 */
describe('TenantService API-key cache', () => {
  const table = useTestTable();
  const stores = createDynamoStores(table);
  let getItems = 0;
  meterDynamoClient(table.client, (call) => {
    if (call.command === 'GetItem') getItems += 1;
  });
  const limits = { seconds: 30, entries: 2 };
  const aProcess = (clock: TestClock) => new TenantService({ stores, clock, ids: ulidIdGenerator }, limits);

  async function aKey(service: TenantService) {
    const apiKey = newApiKey();
    const { tenant } = await service.create('cached marketplace', apiKey);
    return { apiKey, tenantId: tenant.tenantId, keyId: apiKeyId(apiKey) ?? '' };
  }

  it('reads a key once per cache lifetime, and again after it', async () => {
    const clock = new TestClock();
    const service = aProcess(clock);
    const { apiKey, tenantId } = await aKey(service);
    const before = getItems;
    for (let i = 0; i < 5; i++) expect(await service.authenticate(apiKey)).toBe(tenantId);
    expect(getItems - before).toBe(1);
    clock.advance(limits.seconds);
    expect(await service.authenticate(apiKey)).toBe(tenantId);
    expect(getItems - before).toBe(2);
  });

  it('stops accepting a revoked key after at most the cache seconds, in a process that had it cached', async () => {
    const clock = new TestClock();
    const other = aProcess(clock);
    const operator = aProcess(clock);
    const { apiKey, keyId, tenantId } = await aKey(operator);
    expect(await other.authenticate(apiKey)).toBe(tenantId);

    await operator.revokeKey(keyId);
    await expect(operator.authenticate(apiKey)).rejects.toBeInstanceOf(UnauthorizedError);
    clock.advance(limits.seconds - 1);
    // Within the documented delay the other process may still accept it; past it, never.
    expect(await other.authenticate(apiKey)).toBe(tenantId);
    clock.advance(1);
    await expect(other.authenticate(apiKey)).rejects.toBeInstanceOf(UnauthorizedError);
  });

  it('refuses a wrong secret for a cached key id without reading, and never caches a failed lookup', async () => {
    const clock = new TestClock();
    const service = aProcess(clock);
    const { apiKey, keyId } = await aKey(service);
    await service.authenticate(apiKey);
    const wrong = `cvk_${keyId}_${newApiKey().slice(-43)}`;
    const before = getItems;
    await expect(service.authenticate(wrong)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(getItems - before).toBe(0);

    const unknown = newApiKey();
    await expect(service.authenticate(unknown)).rejects.toBeInstanceOf(UnauthorizedError);
    await expect(service.authenticate(unknown)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(getItems - before).toBe(2);
  });

  it('keeps at most its entry limit: the oldest key is read again', async () => {
    const clock = new TestClock();
    const service = aProcess(clock);
    const keys = [await aKey(service), await aKey(service), await aKey(service)];
    for (const k of keys) await service.authenticate(k.apiKey);
    const before = getItems;
    await service.authenticate(keys[2]?.apiKey ?? '');
    expect(getItems - before).toBe(0);
    await service.authenticate(keys[0]?.apiKey ?? '');
    expect(getItems - before).toBe(1);
  });

  it('reads a new key once for a burst of concurrent requests', async () => {
    const service = aProcess(new TestClock());
    const { apiKey, tenantId } = await aKey(service);
    const before = getItems;
    const answers = await Promise.all(Array.from({ length: 8 }, () => service.authenticate(apiKey)));
    expect(answers).toEqual(Array(8).fill(tenantId));
    expect(getItems - before).toBe(1);
  });

  it('reads every time with the cache off (0 seconds)', async () => {
    const clock = new TestClock();
    const service = new TenantService({ stores, clock, ids: ulidIdGenerator }, { seconds: 0, entries: 10 });
    const { apiKey } = await aKey(service);
    const before = getItems;
    await service.authenticate(apiKey);
    await service.authenticate(apiKey);
    expect(getItems - before).toBe(2);
  });
});
