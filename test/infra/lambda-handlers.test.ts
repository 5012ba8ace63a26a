import { createHash, createHmac } from 'node:crypto';
import { DecryptCommand, EncryptCommand, GenerateMacCommand, KMSClient } from '@aws-sdk/client-kms';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { FUNCTION_SPECS, type FunctionName } from '../../infra/function-specs.js';
import { createDynamoStores } from '../../shared/adapters/dynamodb/dynamodb-stores.js';
import { ulidIdGenerator } from '../../shared/adapters/ids/ulid-id-generator.js';
import { ENV } from '../../shared/config/env-names.js';
import { DEMO_GIFT_BRAND, demoBrand } from '../../shared/issuer-sim/demo-brands.js';
import { type IssuerSimServer, startIssuerSim } from '../../shared/issuer-sim/issuer-sim-server.js';
import { systemClock } from '../../shared/ports/clock.js';
import { TenantService } from '../../shared/services/tenant-service.js';
import { useTestTable } from '../support/dynamo.js';
import { httpApiEvent, scheduledEvent } from './invoke-bundle.js';

type HttpHandler = (event: APIGatewayProxyEventV2, context: unknown) => Promise<APIGatewayProxyResultV2>;
type Response = { statusCode: number; headers: Record<string, string>; body: string };

/**
 * The four Lambda handlers imported in-process, as Lambda's runtime does, and invoked with API
 * Gateway v2 and scheduled events against DynamoDB Local and the simulated issuer. KMS, the
 * one part reached only through its SDK, is aws-sdk-client-mock: a stand-in that binds each
 * ciphertext to its encryption context as KMS does.
 */
describe('the Lambda handlers, in-process, on one sale', () => {
  // Every DynamoDB request each handler sends, as IAM would authorise it (a transaction item by item).
  const used: Record<FunctionName, DynamoCall[]> = { api: [], deposit: [], reveal: [], sweeper: [] };
  let current: FunctionName | undefined;
  const send = DynamoDBDocumentClient.prototype.send;
  const spy = vi.spyOn(DynamoDBDocumentClient.prototype, 'send').mockImplementation(function (
    this: DynamoDBDocumentClient,
    ...args: Parameters<typeof send>
  ) {
    if (current) used[current].push(...iamCalls(args[0]));
    return (send as (...a: unknown[]) => unknown).apply(this, args) as ReturnType<typeof send>;
  } as typeof send);
  const as =
    <A extends unknown[], R>(name: FunctionName, fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      current = name;
      try {
        return await fn(...a);
      } finally {
        current = undefined;
      }
    };
  const table = useTestTable();
  const kms = mockClient(KMSClient);
  const macKey = 'test-mac-key';
  let issuer: IssuerSimServer;
  let apiKey = '';
  let fns: {
    api: HttpHandler;
    deposit: HttpHandler;
    reveal: HttpHandler;
    sweeper: (e: { time: string }) => Promise<unknown>;
  };

  beforeAll(async () => {
    Object.assign(process.env, {
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      [ENV.dynamodbEndpoint]: inject('dynamoEndpoint'),
      [ENV.tableName]: table.tableName,
      [ENV.stage]: 'test',
      [ENV.logLevel]: 'silent',
      [ENV.codeKeyId]: 'arn:aws:kms:eu-west-1:111122223333:key/code',
      [ENV.fingerprintKeyId]: 'arn:aws:kms:eu-west-1:111122223333:key/mac',
    });
    kms.on(GenerateMacCommand).callsFake((input) => ({
      Mac: createHmac('sha256', macKey).update(Buffer.from(input.Message)).digest(),
    }));
    kms.on(EncryptCommand).callsFake((input) => ({
      CiphertextBlob: Buffer.from(
        JSON.stringify({
          context: input.EncryptionContext,
          plaintext: Buffer.from(input.Plaintext).toString('base64'),
        }),
      ),
    }));
    kms.on(DecryptCommand).callsFake((input) => {
      const sealed = JSON.parse(Buffer.from(input.CiphertextBlob).toString('utf8'));
      if (JSON.stringify(sealed.context) !== JSON.stringify(input.EncryptionContext)) {
        throw Object.assign(new Error('context mismatch'), { name: 'InvalidCiphertextException' });
      }
      return { Plaintext: Buffer.from(sealed.plaintext, 'base64'), KeyId: input.KeyId };
    });

    issuer = await startIssuerSim({ port: 0 });
    const tenants = new TenantService({
      stores: createDynamoStores({ doc: table.doc, tableName: table.tableName }),
      clock: systemClock,
      ids: ulidIdGenerator,
    });
    await tenants.registerBrand(demoBrand(DEMO_GIFT_BRAND, issuer.url));
    apiKey = (await tenants.create('lambda-test')).apiKey;

    // Module scope is the cold start: config is read and clients are built on import.
    fns = {
      api: as('api', (await import('../../functions/api.js')).handler as unknown as HttpHandler),
      deposit: as('deposit', (await import('../../functions/deposit.js')).handler as unknown as HttpHandler),
      reveal: as('reveal', (await import('../../functions/reveal.js')).handler as unknown as HttpHandler),
      sweeper: as('sweeper', (await import('../../functions/sweeper.js')).handler),
    };
  });
  afterAll(async () => {
    spy.mockRestore();
    kms.restore();
    await issuer?.close();
  });

  const call = async (
    fn: HttpHandler,
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => {
    const event = httpApiEvent(method, path, {
      headers: { authorization: `Bearer ${apiKey}`, ...headers },
      ...(body === undefined ? {} : { body }),
    }) as unknown as APIGatewayProxyEventV2;
    const response = (await fn(event, { awsRequestId: 'req-1' })) as Response;
    return { ...response, json: response.body ? JSON.parse(response.body) : undefined };
  };

  it('serve a whole sale: listing (api), deposit (deposit), order and payment (api), reveal and report (reveal)', async () => {
    const listing = await call(fns.api, 'POST', '/v1/listings', {
      sellerId: 'seller-1',
      brand: 'demo-gift',
      faceValue: { amount: 5000, currency: 'EUR' },
      price: { amount: 4500, currency: 'EUR' },
    });
    expect(listing.statusCode, listing.body).toBe(201);
    const listingId = listing.json.listingId;

    const minted = (await (
      await fetch(`${issuer.url}/cards`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ brand: 'demo-gift', amount: 5000, currency: 'EUR' }),
      })
    ).json()) as { code: string };
    const deposit = await call(fns.deposit, 'POST', `/v1/listings/${listingId}/cards`, {
      cards: [{ code: minted.code }],
    });
    expect(deposit.statusCode, deposit.body).toBe(200);
    expect(deposit.json.results[0].outcome).toBe('accepted');
    const encrypt = kms.commandCalls(EncryptCommand)[0]?.args[0].input;
    expect(encrypt?.KeyId).toBe(process.env[ENV.codeKeyId]);
    expect(encrypt?.EncryptionContext).toEqual({
      tenantId: expect.stringMatching(/^tnt_/),
      cardId: deposit.json.results[0].cardId,
    });

    const order = await call(
      fns.api,
      'POST',
      '/v1/orders',
      { listingId, buyerId: 'buyer-1' },
      { 'idempotency-key': 'o-1' },
    );
    expect(order.statusCode, order.body).toBe(201);
    const orderId = order.json.orderId;
    const paid = await call(fns.api, 'POST', `/v1/orders/${orderId}/payment`, {
      paymentRef: 'p-1',
      amount: order.json.amount,
    });
    expect(paid.json.state).toBe('paid');

    const revealed = await call(
      fns.reveal,
      'POST',
      `/v1/orders/${orderId}/reveal`,
      { buyerId: 'buyer-1' },
      { 'idempotency-key': 'r-1' },
    );
    expect(revealed.statusCode, revealed.body).toBe(200);
    expect(revealed.headers['cache-control']).toBe('no-store');
    expect(revealed.json.cards[0].code).toBe(minted.code.replace(/-/g, ''));

    const report = await call(fns.reveal, 'POST', `/v1/orders/${orderId}/reports`, {
      buyerId: 'buyer-1',
      cardId: revealed.json.cards[0].cardId,
      reason: 'already_redeemed',
    });
    expect(report.statusCode, report.body).toBe(201);
    expect(report.json.decision).toBe('rejected');
    // Fingerprints went through GenerateMac with the HMAC key, never a plain hash of the code.
    expect(kms.commandCalls(GenerateMacCommand)[0]?.args[0].input.KeyId).toBe(
      process.env[ENV.fingerprintKeyId],
    );
    const plainHash = createHash('sha256').update(minted.code.replace(/-/g, '')).digest('hex');
    expect(deposit.body + report.body).not.toContain(plainHash);
  });

  it('serve webhook endpoints from the api function: register, list, roll, delete', async () => {
    const created = await call(fns.api, 'POST', '/v1/webhook-endpoints', {
      url: 'https://hooks.example.com/card-vault',
      eventTypes: ['*'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const { endpointId } = created.json;
    // In AWS there is no local mode: loopback is refused.
    const loopback = await call(fns.api, 'POST', '/v1/webhook-endpoints', {
      url: 'http://127.0.0.1:8080/hook',
      eventTypes: ['*'],
    });
    expect(loopback.statusCode, loopback.body).toBe(422);
    const listed = await call(fns.api, 'GET', '/v1/webhook-endpoints');
    expect(listed.json.endpoints.map((e: { endpointId: string }) => e.endpointId)).toEqual([endpointId]);
    const rolled = await call(fns.api, 'POST', `/v1/webhook-endpoints/${endpointId}/roll-secret`);
    expect(rolled.statusCode, rolled.body).toBe(200);
    const deleted = await call(fns.api, 'DELETE', `/v1/webhook-endpoints/${endpointId}`);
    expect(deleted.statusCode, deleted.body).toBe(204);
  });

  it('run the sweeper on a scheduled event and report what it examined', async () => {
    const result = await fns.sweeper(scheduledEvent(new Date().toISOString()));
    expect(result).toEqual({ examined: expect.any(Number), failed: 0 });
  });

  it('stay within the IAM grants the stack gives each function (DynamoDB Local does not check them)', () => {
    for (const name of Object.keys(FUNCTION_SPECS) as FunctionName[]) {
      const spec = FUNCTION_SPECS[name];
      const calls = used[name];
      expect(calls.length, `${name} made no DynamoDB call`).toBeGreaterThan(0);
      for (const call of calls) {
        const denied = spec.deniedPartitions.some((p) => call.pk !== undefined && likeIam(p, call.pk));
        expect(denied, `${name} reaches ${call.pk} (${call.action})`).toBe(false);
        if (call.action === 'GetItem' || call.action === 'Query') {
          if (call.index) expect(spec.indexes, `${name} queries ${call.index}`).toContain(call.index);
          continue;
        }
        if (call.action === 'DeleteItem' && !spec.writes.includes('DeleteItem')) {
          const allowed = (spec.deletePartitions ?? []).some(
            (p) => call.pk !== undefined && likeIam(p, call.pk),
          );
          expect(allowed, `${name} deletes on ${call.pk}`).toBe(true);
          continue;
        }
        expect(spec.writes, `${name} sends ${call.action}`).toContain(call.action);
        const allowed = spec.writePrefixes.some((prefix) => call.pk?.startsWith(prefix));
        expect(allowed, `${name} writes ${call.action} on ${call.pk}`).toBe(true);
      }
    }
  });
});

interface DynamoCall {
  readonly action: string;
  readonly pk?: string;
  readonly index?: string;
}

/** IAM's `StringLike`: `*` matches any run of characters. */
function likeIam(pattern: string, value: string): boolean {
  const escaped = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`).test(value);
}

/** A document-client command as the IAM actions it needs: transactions item by item, with partition keys. */
function iamCalls(command: { constructor: { name: string }; input: any }): DynamoCall[] {
  const { input } = command;
  const pkOf = (x: any) => (x?.Item ?? x?.Key)?.pk as string | undefined;
  switch (command.constructor.name) {
    case 'GetCommand':
      return [{ action: 'GetItem', pk: pkOf(input) }];
    case 'QueryCommand':
      // A table query's partition is its `:pk` value (the stores' one naming); an index's is not a table key.
      return [
        input.IndexName
          ? { action: 'Query', index: input.IndexName }
          : { action: 'Query', pk: input.ExpressionAttributeValues?.[':pk'] },
      ];
    case 'PutCommand':
      return [{ action: 'PutItem', pk: pkOf(input) }];
    case 'UpdateCommand':
      return [{ action: 'UpdateItem', pk: pkOf(input) }];
    case 'DeleteCommand':
      return [{ action: 'DeleteItem', pk: pkOf(input) }];
    case 'TransactWriteCommand':
      return input.TransactItems.map((item: any) => {
        const [kind, body] = Object.entries(item)[0] as [string, unknown];
        const action = {
          Put: 'PutItem',
          Update: 'UpdateItem',
          Delete: 'DeleteItem',
          ConditionCheck: 'ConditionCheckItem',
        }[kind];
        return { action: action ?? kind, pk: pkOf(body) };
      });
    default:
      return [{ action: command.constructor.name }];
  }
}
