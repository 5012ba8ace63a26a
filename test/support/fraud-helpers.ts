import { randomInt } from 'node:crypto';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { createDynamoClients } from '../../shared/adapters/dynamodb/dynamodb-clients.js';
import { createDynamoStores } from '../../shared/adapters/dynamodb/dynamodb-stores.js';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { normalizeCode } from '../../shared/domain/brand.js';
import { aPaidOrder, mintCode, reveal, unique } from './scenario.js';
import type { HttpResult, TestStack } from './test-stack.js';

/** The demo brands' code alphabet. */
export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Well-formed demo-gift codes the issuer never issued. */
export const wrongCodes = (n: number): string[] =>
  Array.from({ length: n }, () => `DEMO${Array.from({ length: 12 }, () => ALNUM[randomInt(36)]).join('')}`);

/**
 * Helpers for the fraud (F1-F9) and lifecycle end-to-end tests: problem assertions, the
 * issuer simulator's hooks, standing reads, a second tenant, and a raw look at the table.
 */

export const EUR = (amount: number) => ({ amount, currency: 'EUR' });

/** Asserts an RFC 9457 problem with the given status and problem code (the end of `type`). */
export function expectProblem(res: HttpResult, status: number, code: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers.get('content-type') ?? '').toMatch(/^application\/problem\+json/);
  expect(res.body.type, res.text).toMatch(new RegExp(`/problems/${code}$`));
  expect(res.text).not.toMatch(/\n\s+at /); // never a stack trace
}

export async function orderOf(stack: TestStack, orderId: string) {
  const res = await stack.get(`/v1/orders/${orderId}`);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** The order's whole trail, every page of it (the route answers 50 a page). */
export async function eventsOf(stack: TestStack, orderId: string): Promise<any[]> {
  const events: any[] = [];
  let cursor: string | undefined;
  do {
    const res = await stack.get(`/v1/orders/${orderId}/events?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status, res.text).toBe(200);
    events.push(...res.body.events);
    cursor = res.body.nextCursor;
  } while (cursor);
  return events;
}

export async function sellerOf(stack: TestStack, sellerId: string) {
  const res = await stack.get(`/v1/sellers/${sellerId}`);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

export async function buyerOf(stack: TestStack, buyerId: string) {
  const res = await stack.get(`/v1/buyers/${buyerId}`);
  expect(res.status, res.text).toBe(200);
  return res.body;
}

export async function stockOf(stack: TestStack, listingId: string): Promise<Record<string, number>> {
  const res = await stack.get(`/v1/listings/${listingId}`);
  expect(res.status, res.text).toBe(200);
  return res.body.stock;
}

export function report(stack: TestStack, orderId: string, buyerId: string, cardId: string) {
  return stack.post(`/v1/orders/${orderId}/reports`, { buyerId, cardId, reason: 'already_redeemed' });
}

export function placeOrder(stack: TestStack, listingId: string, buyerId = unique('buyer'), quantity = 1) {
  return stack.post('/v1/orders', { listingId, buyerId, quantity }, { 'idempotency-key': unique('order') });
}

export function deposit(stack: TestStack, listingId: string, cards: Array<{ code: string; pin?: string }>) {
  return stack.post(`/v1/listings/${listingId}/cards`, { cards });
}

/** Redeems at the issuer now (the stack's clock), as a shop would. */
export async function redeemAtIssuer(stack: TestStack, code: string): Promise<string> {
  const res = await stack.issuer('/cards/redeem', { code });
  expect(res.status, res.text).toBe(200);
  return res.body.redeemedAt;
}

/** Stages a redemption at a chosen time (the simulator hook overwrites any earlier one). */
export async function redeemAtTime(stack: TestStack, code: string, at: number | string): Promise<string> {
  const redeemedAt = new Date(at).toISOString();
  const res = await stack.issuer('/_sim/cards/redeem-at', { code, redeemedAt });
  expect(res.status, res.text).toBe(200);
  return redeemedAt;
}

/** Redeemed, but the issuer does not say when (F5). */
export async function redeemWithoutTime(stack: TestStack, code: string): Promise<void> {
  const res = await stack.issuer('/_sim/cards/forget-time', { code });
  expect(res.status, res.text).toBe(200);
}

/** Every /check the simulated issuer has received so far (answered or not). */
export async function issuerChecks(stack: TestStack): Promise<number> {
  return (await stack.issuer('/_sim/checks', {})).body.checks as number;
}

export async function issuerOutage(stack: TestStack, down: boolean): Promise<void> {
  const res = await stack.issuer('/_sim/outage', { down });
  expect(res.status, res.text).toBe(200);
}

/** A listing with one fresh card, ordered, paid and revealed. */
export async function aRevealedOrder(stack: TestStack, overrides: Parameters<typeof aPaidOrder>[1] = {}) {
  const paid = await aPaidOrder(stack, overrides);
  const res = await reveal(stack, paid.orderId, paid.buyerId);
  expect(res.status, res.text).toBe(200);
  return { ...paid, revealedAt: res.body.revealedAt as string };
}

/** Mints and deposits `count` cards of `brand` (PINs included when the brand has them). */
export async function depositMinted(stack: TestStack, listingId: string, brand: string, count = 1) {
  const minted: Array<{ code: string; pin?: string }> = [];
  for (let i = 0; i < count; i++) {
    const { code, pin } = await mintCode(stack, 5000, brand);
    minted.push(pin === undefined ? { code } : { code, pin });
  }
  const res = await deposit(stack, listingId, minted);
  expect(res.status, res.text).toBe(200);
  return minted.map((m, i) => ({ ...m, cardId: res.body.results[i].cardId as string }));
}

/** The code a card of `order` holds, from the cards deposited for it. */
export function codeOfCard(cards: Array<{ code: string; cardId: string }>, cardId: string): string {
  const found = cards.find((c) => c.cardId === cardId);
  if (!found) throw new Error(`no deposited card ${cardId}`);
  return found.code;
}

/** A second marketplace on the same deployment, with its own API key. */
export async function anotherTenant(stack: TestStack, name = unique('tenant')) {
  const { apiKey } = await stack.vault.tenants.create(name);
  return {
    apiKey,
    get: (path: string) => stack.request('GET', path, { apiKey }),
    post: (path: string, body?: unknown, headers?: Record<string, string>) =>
      stack.request('POST', path, {
        apiKey,
        ...(body !== undefined ? { body } : {}),
        ...(headers ? { headers } : {}),
      }),
    request: (method: string, path: string, body?: unknown) =>
      stack.request(method, path, { apiKey, ...(body !== undefined ? { body } : {}) }),
  };
}

/** Every item of the stack's table. A test may Scan; production code never does. */
export async function scanTable(stack: TestStack): Promise<Record<string, unknown>[]> {
  const { client, doc } = createDynamoClients({ endpoint: stack.dynamodbEndpoint });
  try {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new ScanCommand({ TableName: stack.tableName, ExclusiveStartKey: startKey, ConsistentRead: true }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  } finally {
    client.destroy();
  }
}

/** The order item as stored, read directly (no due transition applied on the way). */
/** A report as stored (open or closed): no route reads a closed one back. */
export async function storedReport(
  stack: TestStack,
  orderId: string,
  cardId: string,
): Promise<Record<string, any>> {
  const tenantId = await stack.vault.tenants.authenticate(stack.devApiKey);
  const { client, doc } = createDynamoClients({ endpoint: stack.dynamodbEndpoint });
  try {
    const { Item } = await doc.send(
      new GetCommand({
        TableName: stack.tableName,
        Key: keys.report(tenantId, orderId, cardId),
        ConsistentRead: true,
      }),
    );
    expect(Item, `report on ${orderId}/${cardId} in the table`).toBeDefined();
    return Item as Record<string, any>;
  } finally {
    client.destroy();
  }
}

export async function storedOrder(stack: TestStack, orderId: string): Promise<Record<string, unknown>> {
  const tenantId = await stack.vault.tenants.authenticate(stack.devApiKey);
  const { client, doc } = createDynamoClients({ endpoint: stack.dynamodbEndpoint });
  try {
    const { Item } = await doc.send(
      new GetCommand({
        TableName: stack.tableName,
        Key: keys.order(tenantId, orderId),
        ConsistentRead: true,
      }),
    );
    expect(Item, `order ${orderId} in the table`).toBeDefined();
    return Item as Record<string, unknown>;
  } finally {
    client.destroy();
  }
}

/** Suspends a seller of the dev tenant as an operator's tool would, outside any strike. */
export async function suspendDirectly(stack: TestStack, sellerId: string): Promise<void> {
  const tenantId = await stack.vault.tenants.authenticate(stack.devApiKey);
  const { client, doc } = createDynamoClients({ endpoint: stack.dynamodbEndpoint });
  try {
    const { parties } = createDynamoStores({ doc, tableName: stack.tableName });
    expect(await parties.suspendSeller(tenantId, sellerId, new Date().toISOString())).toBe(true);
  } finally {
    client.destroy();
  }
}

/**
 * The forms a code could leak in: as typed, normalized, and its secret part without the
 * brand prefix (compared case-insensitively, so lower-cased copies count too).
 */
export function codeForms(code: string): string[] {
  const normalized = normalizeCode(code);
  return [code, normalized, normalized.slice(4)].map((f) => f.toLowerCase());
}

/** Where in `text` any form of any of `codes` appears: empty when nothing leaked. */
export function findCodes(text: string, codes: readonly string[]): string[] {
  // A page may draw a code in groups (`<span>ABCD</span><span>EFGH</span>`, issue 23): the text
  // without its tags is searched too, or a code split by markup would slip past every leak check.
  const haystacks = [text, text.replace(/<[^>]*>/g, '')].map((t) => t.toLowerCase());
  return codes.filter((code) => codeForms(code).some((form) => haystacks.some((h) => h.includes(form))));
}

/** Every string value anywhere in a JSON-like value, with its path. */
export function stringValues(value: unknown, path = '$'): Array<{ path: string; value: string }> {
  if (typeof value === 'string') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringValues(v, `${path}[${i}]`));
  if (value instanceof Set) return stringValues([...value], path);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => stringValues(v, `${path}.${k}`));
  }
  return [];
}

/** Values equal to a PIN (a 4-digit PIN is too short to search for as a substring). */
export function findPins(value: unknown, pins: readonly string[]): string[] {
  return stringValues(value)
    .filter((s) => pins.includes(s.value.trim()))
    .map((s) => s.path);
}
