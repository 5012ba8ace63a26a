import { marshall } from '@aws-sdk/util-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoWebhookDeliveryStore } from '../../shared/adapters/dynamodb/dynamodb-webhook-delivery-store.js';
import { useTestTable } from '../support/dynamo.js';
import { uniqueId } from '../support/store-builders.js';
import { aLoopbackEndpointAndTrailItem } from '../support/webhook-fixtures.js';

const table = useTestTable();
const ctx = { doc: table.doc, tableName: table.tableName };
let fanOut: typeof import('../../functions/webhook-fan-out.js');
let dispatcher: typeof import('../../functions/webhook-dispatcher.js');

beforeAll(async () => {
  // The handlers read their config at module scope, as on a cold start.
  process.env.TABLE_NAME = table.tableName;
  process.env.DYNAMODB_ENDPOINT = inject('dynamoEndpoint');
  process.env.LOG_LEVEL = 'silent';
  process.env.WEBHOOK_ENDPOINT_CACHE_SECONDS = '0';
  // The dispatcher's webhook secret key (issue 20): this endpoint's secret is stored as older vaults
  // stored it (in the clear), and the address is refused before anything is signed, so no KMS call.
  process.env.WEBHOOK_SECRET_KEY_ID = 'arn:aws:kms:eu-west-1:111122223333:key/test-webhook-secrets';
  fanOut = await import('../../functions/webhook-fan-out.js');
  dispatcher = await import('../../functions/webhook-dispatcher.js');
});

describe('the webhook Lambda handlers', () => {
  it('fan a stream INSERT out to a delivery, and refuse at attempt time an address AWS mode forbids', async () => {
    const tenantId = uniqueId('tenant');
    const endpointId = uniqueId('whk');
    const { eventId, item } = await aLoopbackEndpointAndTrailItem(ctx, tenantId, endpointId);
    const records = [{ eventName: 'INSERT' as const, dynamodb: { NewImage: marshall(item) } }];
    const event = { Records: records } as unknown as Parameters<typeof fanOut.handler>[0];
    expect(await fanOut.handler(event)).toEqual({ events: 1, queued: 1, duplicates: 0 });
    expect(await fanOut.handler(event)).toEqual({ events: 1, queued: 0, duplicates: 1 });

    // No time left for a whole attempt (10 s) and its record before the invocation ends: none starts.
    const late = await dispatcher.handler(
      { time: new Date().toISOString() },
      { getRemainingTimeInMillis: () => 14_000 },
    );
    expect(late).toEqual({ started: 0, ticks: 0, ended: 'deadline' });
    const store = new DynamoWebhookDeliveryStore(ctx);
    expect((await store.get(tenantId, endpointId, eventId))?.attempts).toEqual([]);

    const run = await dispatcher.handler(
      { time: new Date().toISOString() },
      { getRemainingTimeInMillis: () => 60_000 },
    );
    expect(run).toMatchObject({ ended: 'idle' });
    expect(run.started).toBeGreaterThanOrEqual(1);
    const delivery = await store.get(tenantId, endpointId, eventId);
    expect(delivery?.state).toBe('pending');
    expect(delivery?.attempts.map((a) => a.error)).toEqual(['the URL must be https']);
  });
});
