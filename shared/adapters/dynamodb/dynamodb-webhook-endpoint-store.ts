import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod/mini';
import { type WebhookEndpoint, webhookEndpointStatuses } from '../../domain/webhook-endpoint.js';
import { webhookEventTypes } from '../../domain/webhook-event.js';
import type { WebhookEndpointRoute, WebhookEndpointStore } from '../../ports/webhook-endpoint-store.js';
import { allOf, type Condition, equals, exists, expression, notExists } from './expression.js';
import { keys } from './keys.js';
import { parseItem } from './parse-item.js';
import { getItem, queryItems, queryPrefix, type TableContext } from './table-context.js';
import { WEBHOOK_ROUTE_ATTRIBUTES } from './table-definition.js';

export class WebhookEndpointExistsError extends Error {
  override readonly name = 'WebhookEndpointExistsError';
}

WEBHOOK_ROUTE_ATTRIBUTES satisfies readonly (keyof WebhookEndpointRoute)[];

const routeSchema = z.object({
  endpointId: z.string(),
  eventTypes: z.array(z.enum([...webhookEventTypes, '*'])),
  status: z.enum(webhookEndpointStatuses),
});

const endpointSchema = z.object({
  tenantId: z.string(),
  endpointId: z.string(),
  url: z.string(),
  description: z.optional(z.string()),
  eventTypes: z.array(z.enum([...webhookEventTypes, '*'])),
  status: z.enum(webhookEndpointStatuses),
  // Sealed (issue 20) or, for an endpoint not changed since, clear: both are read.
  secrets: z.array(
    z.union([
      z.object({
        sealed: z.string(),
        last4: z.string(),
        createdAt: z.string(),
        expiresAt: z.optional(z.string()),
      }),
      z.object({ secret: z.string(), createdAt: z.string(), expiresAt: z.optional(z.string()) }),
    ]),
  ),
  createdAt: z.string(),
  consecutiveFailures: z.number(),
  disabledReason: z.optional(z.string()),
  createdByKeyId: z.optional(z.string()),
});

/**
 * Webhook endpoints, one item each in the tenant's `#WHK` partition. The signing secrets are
 * stored sealed under the webhook secret key of their own (the service seals them; this store
 * keeps what it is given and still reads the clear secrets of items written before issue 20):
 * see docs/design.md "Webhook signing secrets".
 */
export class DynamoWebhookEndpointStore implements WebhookEndpointStore {
  constructor(private readonly ctx: TableContext) {}

  async create(endpoint: WebhookEndpoint): Promise<void> {
    try {
      await this.put(endpoint, notExists('pk'));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new WebhookEndpointExistsError(endpoint.endpointId, { cause: error });
      }
      throw error;
    }
  }

  async get(tenantId: string, endpointId: string): Promise<WebhookEndpoint | undefined> {
    const key = keys.webhookEndpoint(tenantId, endpointId);
    const item = await getItem(this.ctx, key);
    return item && toEndpoint(parseItem('webhook endpoint', endpointSchema, item, key));
  }

  async list(tenantId: string): Promise<WebhookEndpoint[]> {
    const { pk, skPrefix } = keys.webhookEndpointsOf(tenantId);
    const items = await queryPrefix(this.ctx, pk, skPrefix);
    return items.map((item) => toEndpoint(parseItem('webhook endpoint', endpointSchema, item)));
  }

  async listRoutes(tenantId: string): Promise<WebhookEndpointRoute[]> {
    const { pk, skPrefix } = keys.webhookEndpointsOf(tenantId);
    const names = Object.fromEntries(WEBHOOK_ROUTE_ATTRIBUTES.map((a, i) => [`#a${i}`, a]));
    const routes: WebhookEndpointRoute[] = [];
    for await (const item of queryItems(this.ctx, {
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      // SPECIFIC_ATTRIBUTES and the projection: what the role's Select and Attributes conditions require.
      Select: 'SPECIFIC_ATTRIBUTES',
      ProjectionExpression: Object.keys(names).join(', '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
      ConsistentRead: true,
    })) {
      routes.push(parseItem('webhook endpoint route', routeSchema, item));
    }
    return routes;
  }

  async replace(endpoint: WebhookEndpoint, read?: WebhookEndpoint): Promise<boolean> {
    try {
      await this.put(endpoint, read ? unchangedSince(read) : exists('pk'));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async delete(tenantId: string, endpointId: string): Promise<void> {
    await this.ctx.doc.send(
      new DeleteCommand({ TableName: this.ctx.tableName, Key: keys.webhookEndpoint(tenantId, endpointId) }),
    );
  }

  private async put(endpoint: WebhookEndpoint, guard: Condition): Promise<void> {
    await this.ctx.doc.send(
      new PutCommand({
        TableName: this.ctx.tableName,
        Item: {
          ...keys.webhookEndpoint(endpoint.tenantId, endpoint.endpointId),
          entity: 'WebhookEndpoint',
          ...endpoint,
        },
        ...expression().when(guard).buildCondition(),
      }),
    );
  }
}

/** The fields a change may touch, each as it was read (a missing optional one still missing). */
const MUTABLE_FIELDS = [
  'url',
  'description',
  'eventTypes',
  'status',
  'secrets',
  'consecutiveFailures',
  'disabledReason',
] as const satisfies readonly (keyof WebhookEndpoint)[];

/** Optimistic concurrency without a version attribute: the stored item still is the one read. */
function unchangedSince(read: WebhookEndpoint): Condition {
  return allOf(
    exists('pk'),
    ...MUTABLE_FIELDS.map((field) => {
      const value = read[field];
      return value === undefined ? notExists(field) : equals(field, value);
    }),
  );
}

function toEndpoint(item: z.output<typeof endpointSchema>): WebhookEndpoint {
  const { description, disabledReason, createdByKeyId, secrets, ...rest } = item;
  return {
    ...rest,
    ...(createdByKeyId !== undefined ? { createdByKeyId } : {}),
    ...(description !== undefined ? { description } : {}),
    secrets: secrets.map(({ expiresAt, ...s }) => (expiresAt === undefined ? s : { ...s, expiresAt })),
    ...(disabledReason !== undefined ? { disabledReason } : {}),
  };
}
