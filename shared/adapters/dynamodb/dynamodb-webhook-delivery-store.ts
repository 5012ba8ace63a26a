import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError } from '../../domain/errors.js';
import {
  type AttemptResult,
  type WebhookDelivery,
  type WebhookDeliveryState,
  webhookDeliveryStates,
} from '../../domain/webhook-delivery.js';
import { webhookEndpointStatuses } from '../../domain/webhook-endpoint.js';
import type {
  ClaimedWebhookDelivery,
  DeliveryPage,
  DueWebhookDelivery,
  EnqueueOutcome,
  NewWebhookDelivery,
  SendAgainOutcome,
  WebhookDeliveryStore,
} from '../../ports/webhook-delivery-store.js';
import { contains, equals, exists, expression, greaterThan, isIn, notExists } from './expression.js';
import { keys } from './keys.js';
import { parseItem } from './parse-item.js';
import { getItem, putNew, type TableContext } from './table-context.js';
import { DUE_INDEX } from './table-definition.js';
import { transactWrite } from './transact.js';
import { words } from './vocabulary.js';
import { deliverySchema, toDelivery, waitingOf } from './webhook-delivery-items.js';

/** Final deliveries and idle queues are kept 30 days (Stripe keeps events as long), then TTL drops them. */
const KEEP_SECONDS = 30 * 24 * 3600;
const RACES = 8;
const DELIVERY = words(webhookDeliveryStates);
const ENDPOINT = words(webhookEndpointStatuses);
/** The states a delivery ends in: it leaves the due index, and only then may be sent again. */
const FINAL: readonly WebhookDeliveryState[] = [DELIVERY.delivered, DELIVERY.failed];

/**
 * Due rows read per shard per tick at most, while passing over tenants that already have their
 * share: a backlog deeper than this in one shard hides the rows behind it until it shrinks.
 */
const DUE_SCAN_ROWS = 1000;

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
              state: DELIVERY.pending,
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
                ...expression()
                  .set('head', d.eventId)
                  .set('entity', 'WebhookQueue')
                  .remove('ttl')
                  .when(notExists('head'))
                  .buildUpdate(),
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
          { tag: 'delivery', item: putNew(tableName, { ...base, state: DELIVERY.queued }) },
          {
            tag: 'queue',
            item: {
              Update: {
                TableName: tableName,
                Key: queueKey,
                ...expression()
                  .add('waiting', new Set([d.eventId]))
                  .when(exists('head'))
                  .buildUpdate(),
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

  async listDue(now: string, limit: number, perTenant = limit): Promise<DueWebhookDelivery[]> {
    const shards = await Promise.all(
      keys.webhookDueShards().map((shard) => this.dueInShard(shard, now, limit, perTenant)),
    );
    return shards.flat().sort((a, b) => (a.dueKey < b.dueKey ? -1 : a.dueKey > b.dueKey ? 1 : 0));
  }

  /**
   * One shard's due rows, oldest first, at most `perTenant` of a tenant: a tenant's backlog is
   * read past (page after page, up to `DUE_SCAN_ROWS`), so the rows of the tenants behind it are
   * seen on the same tick.
   */
  private async dueInShard(shard: string, now: string, limit: number, perTenant: number) {
    const kept: DueWebhookDelivery[] = [];
    const ofTenant = new Map<string, number>();
    let read = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.ctx.doc.send(
        new QueryCommand({
          TableName: this.ctx.tableName,
          IndexName: DUE_INDEX,
          KeyConditionExpression: 'gsi1pk = :shard AND gsi1sk <= :now',
          ExpressionAttributeValues: { ':shard': shard, ':now': `${now}~` },
          ProjectionExpression: 'tenantId, endpointId, eventId, gsi1sk',
          Limit: Math.min(limit, DUE_SCAN_ROWS - read),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const row of (page.Items ?? []).flatMap(dueRow)) {
        const seen = ofTenant.get(row.tenantId) ?? 0;
        if (seen >= perTenant) continue;
        ofTenant.set(row.tenantId, seen + 1);
        kept.push(row);
        if (kept.length >= limit) return kept;
      }
      read += page.Items?.length ?? 0;
      start = page.LastEvaluatedKey;
    } while (start && read < DUE_SCAN_ROWS);
    return kept;
  }

  async claim(due: DueWebhookDelivery, leaseUntil: string): Promise<ClaimedWebhookDelivery | undefined> {
    const lease = keys.webhookDue(due.tenantId, due.endpointId, due.eventId, leaseUntil);
    const updated = await this.update({
      Key: keys.webhookDelivery(due.tenantId, due.endpointId, due.eventId),
      ...expression().set('gsi1sk', lease.gsi1sk).when(equals('gsi1sk', due.dueKey)).buildUpdate(),
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
    const pending = result.state === DELIVERY.pending && next !== undefined;
    const dueKey = keys.webhookDue(tenantId, endpointId, eventId, pending ? next : leaseUntil).gsi1sk;
    const update = expression()
      .append('attempts', [result.record], { orEmpty: false })
      .set('firstAttemptAt', result.firstAttemptAt);
    if (pending) update.set('nextAttemptAt', next);
    else update.set('state', result.state).set('ttl', ttlFrom(result.record.at)).remove('nextAttemptAt');
    update.set('gsi1sk', dueKey).when(equals('gsi1sk', claimed.leaseKey));
    const updated = await this.update({
      Key: keys.webhookDelivery(tenantId, endpointId, eventId),
      ...update.buildUpdate(),
      ReturnValues: 'ALL_NEW',
    });
    if (!updated) return undefined;
    return { delivery: toDelivery(parseItem('webhook delivery', deliverySchema, updated)), leaseKey: dueKey };
  }

  async finish(claimed: ClaimedWebhookDelivery): Promise<void> {
    const { tenantId, endpointId, eventId } = claimed.delivery;
    await this.update({
      Key: keys.webhookDelivery(tenantId, endpointId, eventId),
      ...expression()
        .remove('gsi1pk', 'gsi1sk')
        .when(equals('gsi1sk', claimed.leaseKey), isIn('state', FINAL))
        .buildUpdate(),
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
          ...expression()
            .set('ttl', ttlFrom(now))
            .remove('head')
            .when(equals('head', eventId), notExists('waiting'))
            .buildUpdate(),
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
                ...expression()
                  .set('head', next)
                  .delete('waiting', new Set([next]))
                  .when(equals('head', eventId), contains('waiting', next))
                  .buildUpdate(),
              },
            },
          },
          {
            tag: 'delivery',
            item: {
              Update: {
                TableName: tableName,
                Key: keys.webhookDelivery(tenantId, endpointId, next),
                ...expression()
                  .set('state', DELIVERY.pending)
                  .set('nextAttemptAt', now)
                  .set('gsi1pk', keys.webhookDue(tenantId, endpointId, next, now).gsi1pk)
                  .set('gsi1sk', keys.webhookDue(tenantId, endpointId, next, now).gsi1sk)
                  .when(equals('state', DELIVERY.queued))
                  .buildUpdate(),
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
          ...expression()
            .delete('waiting', new Set([next]))
            .when(equals('head', eventId))
            .buildUpdate(),
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
    try {
      await this.ctx.doc.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: keys.webhookDelivery(tenantId, endpointId, eventId),
          ...expression()
            .set('state', DELIVERY.pending)
            .set('resend', true)
            .set('firstAttemptAt', now)
            .set('nextAttemptAt', now)
            .set('gsi1pk', due.gsi1pk)
            .set('gsi1sk', due.gsi1sk)
            .remove('ttl')
            .when(exists('pk'), isIn('state', FINAL))
            .buildUpdate(),
          // A failed condition brings the item as it was: whether the delivery exists, without a second read.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'requeued';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return error.Item ? 'not-finished' : 'not-found';
      throw error;
    }
  }

  async recordEndpointFailure(tenantId: string, endpointId: string, threshold: number, at: string) {
    const key = keys.webhookEndpoint(tenantId, endpointId);
    const counted = await this.update({
      Key: key,
      ...expression().add('consecutiveFailures', 1).when(exists('pk')).buildUpdate(),
      ReturnValues: 'UPDATED_NEW',
    });
    if (!counted || Number(counted.consecutiveFailures) < threshold) return false;
    const disabled = await this.update({
      Key: key,
      ...expression()
        .set('status', ENDPOINT.disabled)
        .set('disabledReason', `${threshold} deliveries in a row failed for good (last at ${at})`)
        .when(equals('status', ENDPOINT.enabled))
        .buildUpdate(),
    });
    return disabled !== undefined;
  }

  async resetEndpointFailures(tenantId: string, endpointId: string): Promise<void> {
    await this.update({
      Key: keys.webhookEndpoint(tenantId, endpointId),
      ...expression()
        .set('consecutiveFailures', 0)
        .when(exists('pk'), greaterThan('consecutiveFailures', 0))
        .buildUpdate(),
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

function dueRow(item: Record<string, unknown>): DueWebhookDelivery[] {
  const { tenantId, endpointId, eventId, gsi1sk } = item;
  if (typeof tenantId !== 'string' || typeof endpointId !== 'string') return [];
  if (typeof eventId !== 'string' || typeof gsi1sk !== 'string') return [];
  return [{ tenantId, endpointId, eventId, dueKey: gsi1sk }];
}
