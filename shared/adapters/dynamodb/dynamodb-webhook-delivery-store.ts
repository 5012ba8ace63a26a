import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import type { AttemptResult, WebhookDelivery } from '../../domain/webhook-delivery.js';
import type {
  ClaimedWebhookDelivery,
  DeliveryPage,
  DueWebhookDelivery,
  EnqueueOutcome,
  NewWebhookDelivery,
  SendAgainOutcome,
  WebhookDeliveryStore,
} from '../../ports/webhook-delivery-store.js';
import { keys } from './keys.js';
import { parseItem } from './parse-item.js';
import { getItem, putNew, type TableContext } from './table-context.js';
import { DUE_INDEX } from './table-definition.js';
import { transactWrite } from './transact.js';
import { deliverySchema, toDelivery, waitingOf } from './webhook-delivery-items.js';

/** Final deliveries and idle queues are kept 30 days (Stripe keeps events as long), then TTL drops them. */
const KEEP_SECONDS = 30 * 24 * 3600;
const RACES = 8;

const ttlFrom = (at: string) => Math.floor(Date.parse(at) / 1000) + KEEP_SECONDS;

/**
 * Deliveries in the endpoint's partition; each (endpoint, subject) queue is one item holding its
 * head and the set of event ids waiting behind it. Only the head carries due-index keys, so a
 * later event of an order is never attempted while an earlier one is pending. Every step is a
 * conditional write on the queue's head, so a fan-out racing a dispatcher cannot strand a
 * delivery: a delivery joins as head only while the queue has none, and the head leaves only
 * while nobody waits.
 */
export class DynamoWebhookDeliveryStore implements WebhookDeliveryStore {
  constructor(private readonly ctx: TableContext) {}

  async enqueue(d: NewWebhookDelivery): Promise<EnqueueOutcome> {
    const { tableName, doc } = this.ctx;
    const base = {
      ...keys.webhookDelivery(d.tenantId, d.endpointId, d.eventId),
      entity: 'WebhookDelivery',
      ...d,
      attempts: [],
    };
    const queueKey = keys.webhookQueue(d.tenantId, d.endpointId, d.subject);
    for (let race = 0; race < RACES; race++) {
      const asHead = await transactWrite(
        doc,
        [
          {
            tag: 'delivery',
            item: putNew(tableName, {
              ...base,
              state: 'pending',
              nextAttemptAt: d.createdAt,
              ...keys.webhookDue(d.tenantId, d.endpointId, d.eventId, d.createdAt),
            }),
          },
          {
            tag: 'queue',
            item: {
              Update: {
                TableName: tableName,
                Key: queueKey,
                UpdateExpression: 'SET head = :id, entity = :entity REMOVE #ttl',
                ConditionExpression: 'attribute_not_exists(head)',
                ExpressionAttributeNames: { '#ttl': 'ttl' },
                ExpressionAttributeValues: { ':id': d.eventId, ':entity': 'WebhookQueue' },
              },
            },
          },
        ],
        { onConflict: 'fail' },
      );
      if (asHead.ok) return 'head';
      if (asHead.has('delivery')) return 'duplicate';
      const asQueued = await transactWrite(
        doc,
        [
          { tag: 'delivery', item: putNew(tableName, { ...base, state: 'queued' }) },
          {
            tag: 'queue',
            item: {
              Update: {
                TableName: tableName,
                Key: queueKey,
                UpdateExpression: 'ADD waiting :ids',
                ConditionExpression: 'attribute_exists(head)',
                ExpressionAttributeValues: { ':ids': new Set([d.eventId]) },
              },
            },
          },
        ],
        { onConflict: 'fail' },
      );
      if (asQueued.ok) return 'queued';
      if (asQueued.has('delivery')) return 'duplicate';
    }
    throw new ConcurrentUpdateError('a webhook queue kept changing', {});
  }

  async listDue(now: string, limit: number): Promise<DueWebhookDelivery[]> {
    const pages = await Promise.all(
      keys.webhookDueShards().map((shard) =>
        this.ctx.doc.send(
          new QueryCommand({
            TableName: this.ctx.tableName,
            IndexName: DUE_INDEX,
            KeyConditionExpression: 'gsi1pk = :shard AND gsi1sk <= :now',
            ExpressionAttributeValues: { ':shard': shard, ':now': `${now}~` },
            ProjectionExpression: 'tenantId, endpointId, eventId, gsi1sk',
            Limit: limit,
          }),
        ),
      ),
    );
    return pages
      .flatMap((page) => page.Items ?? [])
      .flatMap((item) => {
        const { tenantId, endpointId, eventId, gsi1sk } = item;
        if (typeof tenantId !== 'string' || typeof endpointId !== 'string') return [];
        if (typeof eventId !== 'string' || typeof gsi1sk !== 'string') return [];
        return [{ tenantId, endpointId, eventId, dueKey: gsi1sk }];
      })
      .sort((a, b) => (a.dueKey < b.dueKey ? -1 : a.dueKey > b.dueKey ? 1 : 0));
  }

  async claim(due: DueWebhookDelivery, leaseUntil: string): Promise<ClaimedWebhookDelivery | undefined> {
    const lease = keys.webhookDue(due.tenantId, due.endpointId, due.eventId, leaseUntil);
    const updated = await this.update({
      Key: keys.webhookDelivery(due.tenantId, due.endpointId, due.eventId),
      UpdateExpression: 'SET gsi1sk = :lease',
      ConditionExpression: 'gsi1sk = :seen',
      ExpressionAttributeValues: { ':lease': lease.gsi1sk, ':seen': due.dueKey },
      ReturnValues: 'ALL_NEW',
    });
    if (!updated) return undefined;
    return {
      delivery: toDelivery(parseItem('webhook delivery', deliverySchema, updated)),
      leaseKey: lease.gsi1sk,
    };
  }

  async recordAttempt(
    claimed: ClaimedWebhookDelivery,
    result: AttemptResult,
    leaseUntil: string,
  ): Promise<ClaimedWebhookDelivery | undefined> {
    const { tenantId, endpointId, eventId } = claimed.delivery;
    const next = result.record.nextAttemptAt;
    const pending = result.state === 'pending' && next !== undefined;
    const dueKey = keys.webhookDue(tenantId, endpointId, eventId, pending ? next : leaseUntil).gsi1sk;
    const updated = await this.update({
      Key: keys.webhookDelivery(tenantId, endpointId, eventId),
      ConditionExpression: 'gsi1sk = :lease',
      UpdateExpression: pending
        ? 'SET attempts = list_append(attempts, :record), firstAttemptAt = :first, nextAttemptAt = :next, gsi1sk = :due'
        : 'SET attempts = list_append(attempts, :record), firstAttemptAt = :first, #state = :state, #ttl = :ttl, gsi1sk = :due REMOVE nextAttemptAt',
      ...(pending ? {} : { ExpressionAttributeNames: { '#state': 'state', '#ttl': 'ttl' } }),
      ExpressionAttributeValues: {
        ':lease': claimed.leaseKey,
        ':record': [result.record],
        ':first': result.firstAttemptAt,
        ':due': dueKey,
        ...(pending ? { ':next': next } : { ':state': result.state, ':ttl': ttlFrom(result.record.at) }),
      },
      ReturnValues: 'ALL_NEW',
    });
    if (!updated) return undefined;
    return { delivery: toDelivery(parseItem('webhook delivery', deliverySchema, updated)), leaseKey: dueKey };
  }

  async finish(claimed: ClaimedWebhookDelivery): Promise<void> {
    const { tenantId, endpointId, eventId } = claimed.delivery;
    await this.update({
      Key: keys.webhookDelivery(tenantId, endpointId, eventId),
      UpdateExpression: 'REMOVE gsi1pk, gsi1sk',
      ConditionExpression: 'gsi1sk = :lease AND #state IN (:delivered, :failed)',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: {
        ':lease': claimed.leaseKey,
        ':delivered': 'delivered',
        ':failed': 'failed',
      },
    });
  }

  async advance(tenantId: string, endpointId: string, subject: string, eventId: string, now: string) {
    const { tableName, doc } = this.ctx;
    const queueKey = keys.webhookQueue(tenantId, endpointId, subject);
    for (let race = 0; race < RACES; race++) {
      const queue = await getItem(this.ctx, queueKey);
      if (queue?.head !== eventId) return; // advanced already (a retried dispatcher)
      const next = waitingOf(queue).sort()[0];
      if (next === undefined) {
        const idle = await this.update({
          Key: queueKey,
          UpdateExpression: 'SET #ttl = :ttl REMOVE head',
          ConditionExpression: 'head = :id AND attribute_not_exists(waiting)',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':id': eventId, ':ttl': ttlFrom(now) },
        });
        if (idle) return;
        continue; // one joined meanwhile
      }
      const promoted = await transactWrite(
        doc,
        [
          {
            tag: 'queue',
            item: {
              Update: {
                TableName: tableName,
                Key: queueKey,
                UpdateExpression: 'SET head = :next DELETE waiting :nextSet',
                ConditionExpression: 'head = :id AND contains(waiting, :next)',
                ExpressionAttributeValues: { ':id': eventId, ':next': next, ':nextSet': new Set([next]) },
              },
            },
          },
          {
            tag: 'delivery',
            item: {
              Update: {
                TableName: tableName,
                Key: keys.webhookDelivery(tenantId, endpointId, next),
                UpdateExpression: 'SET #state = :pending, nextAttemptAt = :now, gsi1pk = :pk, gsi1sk = :sk',
                ConditionExpression: '#state = :queued',
                ExpressionAttributeNames: { '#state': 'state' },
                ExpressionAttributeValues: {
                  ':pending': 'pending',
                  ':queued': 'queued',
                  ':now': now,
                  ':pk': keys.webhookDue(tenantId, endpointId, next, now).gsi1pk,
                  ':sk': keys.webhookDue(tenantId, endpointId, next, now).gsi1sk,
                },
              },
            },
          },
        ],
        { onConflict: 'fail' },
      );
      if (promoted.ok) return;
      if (promoted.has('delivery') && !promoted.has('queue')) {
        // Not queued any more (cannot happen through this store): drop it from the queue, never spin on it.
        await this.update({
          Key: queueKey,
          UpdateExpression: 'DELETE waiting :nextSet',
          ConditionExpression: 'head = :id',
          ExpressionAttributeValues: { ':id': eventId, ':nextSet': new Set([next]) },
        });
      }
    }
    throw new ConcurrentUpdateError('a webhook queue kept changing', {});
  }

  async get(tenantId: string, endpointId: string, eventId: string): Promise<WebhookDelivery | undefined> {
    const key = keys.webhookDelivery(tenantId, endpointId, eventId);
    const item = await getItem(this.ctx, key);
    return item && toDelivery(parseItem('webhook delivery', deliverySchema, item, key));
  }

  async listByEndpoint(
    tenantId: string,
    endpointId: string,
    page: { limit: number; cursor?: string },
  ): Promise<DeliveryPage> {
    const { pk, skPrefix } = keys.webhookDeliveriesOf(tenantId, endpointId);
    const result = await this.ctx.doc.send(
      new QueryCommand({
        TableName: this.ctx.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
        ScanIndexForward: false,
        Limit: page.limit,
        ...(page.cursor !== undefined
          ? { ExclusiveStartKey: keys.webhookDelivery(tenantId, endpointId, page.cursor) }
          : {}),
      }),
    );
    const deliveries = (result.Items ?? []).map((item) =>
      toDelivery(parseItem('webhook delivery', deliverySchema, item)),
    );
    const last = deliveries.at(-1);
    return { deliveries, ...(result.LastEvaluatedKey && last ? { nextCursor: last.eventId } : {}) };
  }

  async sendAgain(
    tenantId: string,
    endpointId: string,
    eventId: string,
    now: string,
  ): Promise<SendAgainOutcome> {
    const due = keys.webhookDue(tenantId, endpointId, eventId, now);
    const updated = await this.update({
      Key: keys.webhookDelivery(tenantId, endpointId, eventId),
      UpdateExpression:
        'SET #state = :pending, resend = :true, firstAttemptAt = :now, nextAttemptAt = :now, gsi1pk = :pk, gsi1sk = :sk REMOVE #ttl',
      ConditionExpression: 'attribute_exists(pk) AND #state IN (:delivered, :failed)',
      ExpressionAttributeNames: { '#state': 'state', '#ttl': 'ttl' },
      ExpressionAttributeValues: {
        ':pending': 'pending',
        ':true': true,
        ':now': now,
        ':pk': due.gsi1pk,
        ':sk': due.gsi1sk,
        ':delivered': 'delivered',
        ':failed': 'failed',
      },
    });
    if (updated) return 'requeued';
    return (await this.get(tenantId, endpointId, eventId)) ? 'not-finished' : 'not-found';
  }

  async recordEndpointFailure(tenantId: string, endpointId: string, threshold: number, at: string) {
    const key = keys.webhookEndpoint(tenantId, endpointId);
    const counted = await this.update({
      Key: key,
      UpdateExpression: 'ADD consecutiveFailures :one',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    });
    if (!counted || Number(counted.consecutiveFailures) < threshold) return false;
    const disabled = await this.update({
      Key: key,
      UpdateExpression: 'SET #status = :disabled, disabledReason = :reason',
      ConditionExpression: '#status = :enabled',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':disabled': 'disabled',
        ':enabled': 'enabled',
        ':reason': `${threshold} deliveries in a row failed for good (last at ${at})`,
      },
    });
    return disabled !== undefined;
  }

  async resetEndpointFailures(tenantId: string, endpointId: string): Promise<void> {
    await this.update({
      Key: keys.webhookEndpoint(tenantId, endpointId),
      UpdateExpression: 'SET consecutiveFailures = :zero',
      ConditionExpression: 'attribute_exists(pk) AND consecutiveFailures > :zero',
      ExpressionAttributeValues: { ':zero': 0 },
    });
  }

  /** One conditional update: the new attributes (ALL_NEW when asked, else `{}`), or undefined when its condition failed. */
  private async update(
    input: Omit<UpdateCommandInput, 'TableName'>,
  ): Promise<Record<string, unknown> | undefined> {
    try {
      const result = await this.ctx.doc.send(new UpdateCommand({ ...input, TableName: this.ctx.tableName }));
      return result.Attributes ?? {};
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
  }
}
