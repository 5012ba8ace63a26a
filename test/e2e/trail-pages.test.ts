import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClients } from '../../shared/adapters/dynamodb/dynamodb-clients.js';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { ulidIdGenerator } from '../../shared/adapters/ids/ulid-id-generator.js';
import { eventsOf } from '../support/fraud-helpers.js';
import { aPaidOrder, aTenantOn, reveal, revealedFor, unique } from '../support/scenario.js';
import type { HttpResult, TestStack } from '../support/test-stack.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

let seed: { put: (item: Record<string, unknown>) => Promise<void>; close: () => void };
beforeAll(() => {
  const { client, doc } = createDynamoClients({ endpoint: stack.current.dynamodbEndpoint });
  seed = {
    put: async (item) => {
      await doc.send(new PutCommand({ TableName: stack.current.tableName, Item: item }));
    },
    close: () => client.destroy(),
  };
});
afterAll(() => seed?.close());

/** A revealed order with `again` re-deliveries (the API's retries with its key): its trail grows a line each. */
async function aLongTrail(s: TestStack, again: number) {
  const { orderId, buyerId } = await aPaidOrder(s);
  const key = unique('reveal');
  for (let i = 0; i <= again; i++) expect((await reveal(s, orderId, buyerId, key)).status).toBe(200);
  return { orderId, buyerId };
}

/** Every page of a list, `limit` a page, following `nextCursor` until it is absent. */
async function pages(s: TestStack, path: string, limit: number): Promise<HttpResult[]> {
  const all: HttpResult[] = [];
  let cursor: string | undefined;
  do {
    const res = await s.get(`${path}?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status, res.text).toBe(200);
    all.push(res);
    cursor = res.body.nextCursor;
    expect(all.length).toBeLessThan(50);
  } while (cursor);
  return all;
}

const expectCursorRefused = (res: HttpResult) => {
  expect(res.status, res.text).toBe(400);
  expect(res.body.type).toMatch(/\/validation$/);
};

describe("an order's trail, paged (issue 19)", () => {
  it('answers `limit` events a page, oldest first, with nextCursor until the last page', async () => {
    const { orderId } = await aLongTrail(stack.current, 6);
    const whole = await eventsOf(stack.current, orderId);
    expect(whole.length).toBeGreaterThanOrEqual(9);

    const answered = await pages(stack.current, `/v1/orders/${orderId}/events`, 2);
    expect(answered.length).toBe(Math.ceil(whole.length / 2));
    for (const page of answered.slice(0, -1)) {
      expect(page.body.events).toHaveLength(2);
      expect(page.body.nextCursor).toBe(page.body.events[1].eventId);
    }
    expect(answered.at(-1)?.body.nextCursor).toBeUndefined();
    expect(answered.flatMap((p) => p.body.events)).toEqual(whole);
    const ids = whole.map((e) => e.eventId);
    expect(ids).toEqual([...ids].sort());
  });

  it('answers 50 a page unless asked otherwise, and at most 100', async () => {
    const { orderId } = await aLongTrail(stack.current, 55);
    const first = await stack.current.get(`/v1/orders/${orderId}/events`);
    expect(first.status).toBe(200);
    expect(first.body.events).toHaveLength(50);
    expect(first.body.nextCursor).toBe(first.body.events[49].eventId);
    const rest = await stack.current.get(`/v1/orders/${orderId}/events?cursor=${first.body.nextCursor}`);
    expect(rest.body.events.length).toBeGreaterThanOrEqual(8);
    expect(rest.body.nextCursor).toBeUndefined();
    expectCursorRefused(await stack.current.get(`/v1/orders/${orderId}/events?limit=101`));
    expectCursorRefused(await stack.current.get(`/v1/orders/${orderId}/events?limit=0`));
  });

  it('refuses a tampered cursor with a 400 problem, never a 500', async () => {
    const { orderId } = await aLongTrail(stack.current, 3);
    const first = await stack.current.get(`/v1/orders/${orderId}/events?limit=2`);
    const cursor: string = first.body.nextCursor;
    const made = ulidIdGenerator.next('evt');
    for (const bad of [
      'x',
      `${cursor}x`,
      cursor.toLowerCase(),
      encodeURIComponent(`${cursor}#ORD`),
      encodeURIComponent('{"pk":"T#x"}'),
      made,
    ]) {
      expectCursorRefused(await stack.current.get(`/v1/orders/${orderId}/events?cursor=${bad}`));
    }
  });

  it("refuses another order's cursor, and another tenant's, instead of paging from it", async () => {
    const one = await aLongTrail(stack.current, 3);
    const two = await aLongTrail(stack.current, 3);
    const oneCursor = (await stack.current.get(`/v1/orders/${one.orderId}/events?limit=2`)).body.nextCursor;
    expectCursorRefused(await stack.current.get(`/v1/orders/${two.orderId}/events?cursor=${oneCursor}`));

    const other = await aTenantOn(stack.current);
    const theirs = await revealedFor(other.as);
    const theirCursor = (await other.as.get(`/v1/orders/${theirs.orderId}/events?limit=1`)).body.nextCursor;
    expect(theirCursor).toMatch(/^evt_/);
    expectCursorRefused(await stack.current.get(`/v1/orders/${one.orderId}/events?cursor=${theirCursor}`));
    expect((await stack.current.get(`/v1/orders/${theirs.orderId}/events`)).status).toBe(404);
  });
});

describe("a seller's trail, paged (issue 19)", () => {
  /** A seller with `count` lines on its own trail (reinstatements, as an operator writes them). */
  async function aSellerWithTrail(tenantId: string, count: number) {
    const sellerId = unique('seller');
    for (let i = 0; i < count; i++) {
      const at = new Date(Date.now() + i);
      const event = {
        eventId: ulidIdGenerator.next('evt', at),
        sellerId,
        type: 'seller.reinstated' as const,
        by: 'operator-1',
        at: at.toISOString(),
        data: { note: `line ${i}` },
      };
      await seed.put({
        ...keys.sellerEvent(tenantId, sellerId, event.eventId),
        entity: 'SellerEvent',
        ...event,
      });
    }
    return sellerId;
  }

  it('answers `limit` events a page, oldest first, with nextCursor until the last page', async () => {
    const sellerId = await aSellerWithTrail(stack.current.devTenantId, 7);
    const answered = await pages(stack.current, `/v1/sellers/${sellerId}/events`, 3);
    expect(answered.map((p) => p.body.events.length)).toEqual([3, 3, 1]);
    expect(
      answered.flatMap((p) => p.body.events.map((e: { data: { note: string } }) => e.data.note)),
    ).toEqual(Array.from({ length: 7 }, (_, i) => `line ${i}`));
    // A trail that ends on a page's last row: that page has no nextCursor, no empty page follows.
    expect(
      (await pages(stack.current, `/v1/sellers/${sellerId}/events`, 7)).map((p) => p.body.events.length),
    ).toEqual([7]);
    const whole = await pages(stack.current, `/v1/sellers/${sellerId}/events`, 1);
    expect(whole.map((p) => p.body.events.length)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    const all = await stack.current.get(`/v1/sellers/${sellerId}/events`);
    expect(all.body.events).toHaveLength(7);
    expect(all.body.nextCursor).toBeUndefined();
  });

  it("refuses a tampered cursor, another seller's and another tenant's", async () => {
    const one = await aSellerWithTrail(stack.current.devTenantId, 3);
    const two = await aSellerWithTrail(stack.current.devTenantId, 3);
    const cursor = (await stack.current.get(`/v1/sellers/${one}/events?limit=1`)).body.nextCursor;
    expect((await stack.current.get(`/v1/sellers/${one}/events?cursor=${cursor}`)).status).toBe(200);
    expectCursorRefused(await stack.current.get(`/v1/sellers/${two}/events?cursor=${cursor}`));
    expectCursorRefused(await stack.current.get(`/v1/sellers/${one}/events?cursor=not-a-cursor`));
    const other = await aTenantOn(stack.current);
    // The same seller id on another marketplace is another seller: the cursor is not its.
    expectCursorRefused(await other.as.get(`/v1/sellers/${one}/events?cursor=${cursor}`));
  });
});
