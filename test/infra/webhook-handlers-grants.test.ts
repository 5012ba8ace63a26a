import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DecryptCommand, type DecryptCommandInput, KMSClient } from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { WEBHOOK_STREAM_FILTERS } from '../../infra/constructs/webhook-functions.js';
import {
  type PartitionGrant,
  WEBHOOK_FUNCTION_SPECS,
  type WebhookFunctionName,
} from '../../infra/function-specs.js';
import { DynamoStreamPoller } from '../../shared/adapters/dynamodb/dynamodb-stream-poller.js';
import { DynamoWebhookDeliveryStore } from '../../shared/adapters/dynamodb/dynamodb-webhook-delivery-store.js';
import { DynamoWebhookEndpointStore } from '../../shared/adapters/dynamodb/dynamodb-webhook-endpoint-store.js';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { type StreamRecordLike, trailLinesOf } from '../../shared/adapters/dynamodb/stream-trail-lines.js';
import { newId } from '../../shared/adapters/ids/ulid-id-generator.js';
import { ENV } from '../../shared/config/env-names.js';
import { defaultWebhookSettings } from '../../shared/domain/webhook-settings.js';
import { DISPATCH_RUN } from '../../shared/services/webhook-dispatch-run.js';
import { useTestTable } from '../support/dynamo.js';
import { type DynamoCall, iamCalls, likeIam } from '../support/iam-calls.js';
import { uniqueId } from '../support/store-builders.js';

/**
 * The two webhook handlers imported in-process (module scope is the cold start), fed what AWS
 * feeds them: stream records read from DynamoDB Local's stream after real writes, and the
 * schedule's event. Every DynamoDB request is checked against the role the stack gives the
 * function (infra/function-specs.ts `WEBHOOK_FUNCTION_SPECS`), since DynamoDB Local checks none.
 */
describe('the webhook Lambda handlers, against their IAM grants', () => {
  const used: Record<WebhookFunctionName, DynamoCall[]> = { webhookFanOut: [], webhookDispatcher: [] };
  let current: WebhookFunctionName | undefined;
  const send = DynamoDBDocumentClient.prototype.send;
  const spy = vi.spyOn(DynamoDBDocumentClient.prototype, 'send').mockImplementation(function (
    this: DynamoDBDocumentClient,
    ...args: Parameters<typeof send>
  ) {
    if (current) used[current].push(...iamCalls(args[0]));
    return (send as (...a: unknown[]) => unknown).apply(this, args) as ReturnType<typeof send>;
  } as typeof send);
  const as =
    <A extends unknown[], R>(name: WebhookFunctionName, fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      current = name;
      try {
        return await fn(...a);
      } finally {
        current = undefined;
      }
    };

  const kms = mockClient(KMSClient);
  const WEBHOOK_SECRET_KEY = 'arn:aws:kms:eu-west-1:111122223333:key/webhook-secrets';
  let sealedFor: { tenantId: string; endpointId: string } | undefined;
  const table = useTestTable({ stream: true });
  const ctx = { doc: table.doc, tableName: table.tableName };
  const received: string[] = [];
  let receiver: Server;
  let poller: DynamoStreamPoller;
  const records: StreamRecordLike[] = [];
  let fanOut: (event: { Records: StreamRecordLike[] }) => Promise<unknown>;
  let dispatch: () => Promise<{ started: number }>;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      received.push(req.url ?? '');
      res.writeHead(200).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    Object.assign(process.env, {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      [ENV.dynamodbEndpoint]: inject('dynamoEndpoint'),
      [ENV.tableName]: table.tableName,
      [ENV.stage]: 'test',
      [ENV.logLevel]: 'silent',
      [ENV.webhookEndpointCacheSeconds]: '0',
      // The first failed attempt gives up: the run then exercises the failure count and the queue advance.
      [ENV.webhookGiveUpSeconds]: '0.001',
      [ENV.webhookSecretKeyId]: WEBHOOK_SECRET_KEY,
    });
    // KMS as the dispatcher's role allows it: Decrypt on the webhook secret key, under the endpoint's context.
    kms.on(DecryptCommand).callsFake((input: DecryptCommandInput) => {
      if (input.KeyId !== WEBHOOK_SECRET_KEY) throw new Error('not the webhook secret key');
      return { Plaintext: Buffer.from('whsec_x'), KeyId: input.KeyId };
    });
    const fanOutModule = await import('../../functions/webhook-fan-out.js');
    const dispatcherModule = await import('../../functions/webhook-dispatcher.js');
    fanOut = as('webhookFanOut', (event) => fanOutModule.handler(event as never));
    dispatch = as('webhookDispatcher', () =>
      // Time for one whole attempt and its record, and 0.9 s to start it in: one tick, then the drain.
      dispatcherModule.handler(
        { time: new Date().toISOString() },
        { getRemainingTimeInMillis: () => defaultWebhookSettings.timeoutMs + DISPATCH_RUN.recordMs + 900 },
      ),
    );
    poller = new DynamoStreamPoller({
      client: table.client,
      endpoint: inject('dynamoEndpoint'),
      tableName: table.tableName,
      intervalMs: 50,
      onRecords: async (batch) => void records.push(...batch),
      onError: () => {},
    });
    await poller.start();
  });
  afterAll(async () => {
    kms.restore();
    spy.mockRestore();
    await poller?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  it('fan two trail lines read from the stream out to deliveries, and attempt them in order, refusing a loopback URL', async () => {
    const tenantId = newId('tnt');
    const endpointId = uniqueId('whk');
    const { port } = receiver.address() as AddressInfo;
    // Stored directly: the API refuses such a URL in AWS mode, and the dispatcher must refuse it again.
    await new DynamoWebhookEndpointStore(ctx).create({
      tenantId,
      endpointId,
      url: `http://127.0.0.1:${port}/hook`,
      eventTypes: ['*'],
      status: 'enabled',
      // Sealed, as the api function stores it: the dispatcher opens it to sign.
      secrets: [{ sealed: 'c2VhbGVk', last4: 'ec_x', createdAt: '2026-01-01T00:00:00.000Z' }],
      createdAt: '2026-01-01T00:00:00.000Z',
      consecutiveFailures: 0,
    });
    sealedFor = { tenantId, endpointId };
    const line = (n: number, type: string, to: string) => {
      const eventId = `evt_${'0'.repeat(25)}${n}`;
      return {
        ...keys.event(tenantId, 'ord_1', eventId),
        entity: 'Event',
        eventId,
        orderId: 'ord_1',
        type,
        actor: 'marketplace',
        to,
        at: new Date().toISOString(),
      };
    };
    const placed = line(1, 'order.placed', 'pending_payment');
    const expired = line(2, 'order.expired', 'expired');
    for (const item of [placed, expired]) {
      await table.doc.send(new PutCommand({ TableName: table.tableName, Item: item }));
    }
    await vi.waitFor(
      () => expect(records.filter((r) => r.eventName === 'INSERT').length).toBeGreaterThanOrEqual(3),
      {
        timeout: 10_000,
      },
    );
    // The endpoint's own INSERT rides along, as the stream (unfiltered here) carries it.
    expect(await fanOut({ Records: [...records] })).toEqual({ events: 2, queued: 2, duplicates: 0 });

    const deliveries = new DynamoWebhookDeliveryStore(ctx);
    expect((await dispatch()).started).toBe(1);
    expect((await deliveries.get(tenantId, endpointId, placed.eventId))?.state).toBe('failed');
    // The queue advanced: the second event is attempted by the next run, never before the first.
    expect((await dispatch()).started).toBe(1);
    const second = await deliveries.get(tenantId, endpointId, expired.eventId);
    expect(second?.state).toBe('failed');
    expect(second?.attempts.map((a) => a.error)).toEqual(['the URL must be https']);
    expect(received).toEqual([]);
    const endpoint = await new DynamoWebhookEndpointStore(ctx).get(tenantId, endpointId);
    expect(endpoint?.consecutiveFailures).toBe(2);
  });

  it("let through the stream mapping's filters exactly the published changes, of all the stream carried", async () => {
    // A penalty (seller.penalised) and a pending card settled (card.deposit_settled) pass; the
    // same card's next change, which carries its settlement along, does not.
    const tenantId = newId('tnt');
    const penalty = {
      ...keys.penalty(tenantId, 'slr_1', 'ord_1#crd_1'),
      entity: 'Penalty',
      penaltyId: 'ord_1#crd_1',
      eventId: `evt_${'0'.repeat(25)}3`,
      sellerId: 'slr_1',
      orderId: 'ord_1',
      reportId: 'pre-reveal-check',
      cardId: 'crd_1',
      fine: { amount: 450, currency: 'EUR' },
      at: new Date().toISOString(),
    };
    const card = {
      ...keys.card(tenantId, 'lst_1', 'crd_1'),
      entity: 'Card',
      tenantId,
      cardId: 'crd_1',
      listingId: 'lst_1',
      sellerId: 'slr_1',
      state: 'pending_validation',
      last4: '1234',
      ciphertext: 'c'.repeat(40),
      fingerprint: 'f'.repeat(40),
    };
    await table.doc.send(new PutCommand({ TableName: table.tableName, Item: penalty }));
    await table.doc.send(new PutCommand({ TableName: table.tableName, Item: card }));
    const settlement = { eventId: `evt_${'0'.repeat(25)}4`, outcome: 'accepted', at: penalty.at };
    for (const [state, extra] of [
      ['available', { ':s': settlement }],
      ['reserved', {}],
    ] as const) {
      await table.doc.send(
        new UpdateCommand({
          TableName: table.tableName,
          Key: keys.card(tenantId, 'lst_1', 'crd_1'),
          UpdateExpression: `SET #state = :state${':s' in extra ? ', settlement = :s' : ''}`,
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':state': state, ...extra },
        }),
      );
    }
    const reserved = () =>
      records.some((r) => (r.dynamodb?.NewImage as { state?: { S?: string } })?.state?.S === 'reserved');
    await vi.waitFor(() => expect(reserved()).toBe(true), { timeout: 10_000 });

    const passed = records.filter((record) => WEBHOOK_STREAM_FILTERS.some((f) => matchesFilter(f, record)));
    expect(trailLinesOf(passed).lines.map((l) => l.line.type)).toEqual([
      'order.placed',
      'order.expired',
      'seller.penalised',
      'card.deposit_settled',
    ]);
    // What the filters let through is what the parser publishes: nothing passes only to be dropped.
    expect(passed).toHaveLength(4);
    expect(trailLinesOf(records).lines).toEqual(trailLinesOf(passed).lines);
    // The endpoint's INSERT, the deliveries' and queues' writes, the card's INSERT and its later
    // change: seen on the stream, filtered out.
    expect(records.length).toBeGreaterThan(passed.length + 3);
  });

  it('stay within the IAM grants the stack gives each function (DynamoDB Local does not check them)', () => {
    const allows = (grant: PartitionGrant, call: DynamoCall) => {
      if (!(grant.actions as readonly string[]).includes(call.action) || grant.index !== call.index)
        return false;
      if (call.pk === undefined || !grant.partitions.some((p) => likeIam(p, call.pk as string))) return false;
      if (grant.attributes === undefined) return true;
      // dynamodb:Attributes, and Select or ReturnValues, as the stack's conditions state them.
      const allowed = new Set(['pk', 'sk', ...grant.attributes]);
      if (!(call.attributes ?? []).every((a) => allowed.has(a))) return false;
      if (call.action === 'Query' || call.action === 'GetItem') return call.select === 'SPECIFIC_ATTRIBUTES';
      return (
        call.returnValues === undefined || ['NONE', 'UPDATED_OLD', 'UPDATED_NEW'].includes(call.returnValues)
      );
    };
    for (const name of Object.keys(WEBHOOK_FUNCTION_SPECS) as WebhookFunctionName[]) {
      const { grants } = WEBHOOK_FUNCTION_SPECS[name];
      expect(used[name].length, `${name} made no DynamoDB call`).toBeGreaterThan(0);
      for (const call of used[name]) {
        const allowed = grants.some((grant) => allows(grant, call));
        expect(
          allowed,
          `${name} sends ${call.action} on ${call.index ?? 'the table'} ${call.pk} naming ${call.attributes}`,
        ).toBe(true);
      }
    }
  });

  it('open signing secrets in the dispatcher only, with Decrypt on the webhook secret key under the endpoint context', () => {
    const calls = kms.calls().map((c) => c.args[0]);
    expect(calls.length).toBeGreaterThan(0);
    for (const command of calls) {
      expect(command).toBeInstanceOf(DecryptCommand);
      const input = (command as DecryptCommand).input;
      expect(input.KeyId).toBe(WEBHOOK_SECRET_KEY);
      expect(input.EncryptionContext).toStrictEqual(sealedFor);
      expect(Buffer.from(input.CiphertextBlob ?? []).toString('utf8')).toBe('sealed');
    }
  });

  it('read no endpoint URL or signing secret in the fan-out, and write none in the dispatcher', () => {
    const endpointCalls = (name: WebhookFunctionName) =>
      used[name].filter((call) => call.pk !== undefined && /^T#[^#]+#WHK$/.test(call.pk));
    expect(endpointCalls('webhookFanOut').length).toBeGreaterThan(0);
    for (const call of endpointCalls('webhookFanOut')) {
      expect(call.select).toBe('SPECIFIC_ATTRIBUTES');
      expect(call.attributes).not.toContain('url');
      expect(call.attributes).not.toContain('secrets');
    }
    const writes = endpointCalls('webhookDispatcher').filter((call) => call.action === 'UpdateItem');
    expect(writes.length).toBeGreaterThan(0);
    for (const call of writes) expect(call.attributes).not.toEqual(expect.arrayContaining(['url']));
    for (const call of writes) expect(call.attributes).not.toEqual(expect.arrayContaining(['secrets']));
  });
});

/**
 * Lambda event filtering as the mapping uses it: every key of the pattern must match; an array
 * lists the accepted values, each a string or `{ prefix }`.
 */
function matchesFilter(pattern: unknown, value: unknown): boolean {
  if (Array.isArray(pattern)) {
    return pattern.some((accepted) =>
      typeof accepted === 'object' && accepted !== null && 'prefix' in accepted
        ? typeof value === 'string' && value.startsWith(String(accepted.prefix))
        : value === accepted,
    );
  }
  if (typeof pattern !== 'object' || pattern === null) return false;
  return Object.entries(pattern).every(([key, inner]) =>
    matchesFilter(inner, (value as Record<string, unknown> | undefined)?.[key]),
  );
}
