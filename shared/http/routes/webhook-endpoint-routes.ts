import { createRoute } from '@hono/zod-openapi';
import { MAX_ENDPOINTS_PER_TENANT, webhookEndpointStatuses } from '../../domain/webhook-endpoint.js';
import { webhookEventTypes } from '../../domain/webhook-event.js';
import type { WebhookDeliveryService } from '../../services/webhook-delivery-service.js';
import type { WebhookEndpointService } from '../../services/webhook-endpoint-service.js';
import { routeApp, tenantOf } from '../env.js';
import {
  bodyProblems,
  eventPageQuery,
  freeText,
  idParams,
  inputProblems,
  json,
  jsonBody,
  problems,
} from '../schemas.js';
import { needs, reads } from '../scopes.js';
import {
  WebhookDeliveryListSchema,
  WebhookDeliverySchema,
  webhookDeliveryView,
} from '../views/webhook-delivery-view.js';
import {
  EndpointEventTypeSchema,
  WebhookEndpointSchema,
  WebhookEndpointWithSecretSchema,
  webhookEndpointView,
  webhookEndpointWithSecretView,
} from '../views/webhook-endpoint-view.js';
import * as z from '../zod.js';

const MAX_URL_LENGTH = 2048;

const url = z.string().min(1).max(MAX_URL_LENGTH).openapi({
  description:
    'https on a public address: no private, loopback, link-local or metadata address (the local stack also takes http://127.0.0.1)',
  example: 'https://hooks.example.com/card-vault',
});

const eventTypes = z
  .array(EndpointEventTypeSchema)
  .min(1)
  .max(webhookEventTypes.length + 1)
  .refine((types) => !types.includes('*') || types.length === 1, { message: "'*' must stand alone" })
  .openapi({ description: 'the event types to send, or `["*"]` for all' });

const endpointParams = idParams({ endpointId: 'whk' });

const register = createRoute({
  method: 'post',
  path: '/webhook-endpoints',
  operationId: 'registerWebhookEndpoint',
  tags: ['Webhooks'],
  summary: 'Register a webhook endpoint',
  ...needs('webhooks'),
  description: `Registers an endpoint (at most ${MAX_ENDPOINTS_PER_TENANT} per tenant). The answer carries the signing secret, once.`,
  request: {
    body: jsonBody(
      z
        .strictObject({ url, eventTypes, description: freeText(200).optional() })
        .openapi('RegisterWebhookEndpoint'),
    ),
  },
  responses: {
    201: {
      ...json(WebhookEndpointWithSecretSchema, 'The endpoint, with its signing secret (shown only here)'),
      headers: z.object({ Location: z.string().openapi({ example: '/v1/webhook-endpoints/whk_...' }) }),
    },
    ...problems(bodyProblems, 'webhook-endpoint-limit', 'webhook-url-refused'),
  },
});

const list = createRoute({
  method: 'get',
  path: '/webhook-endpoints',
  operationId: 'listWebhookEndpoints',
  tags: ['Webhooks'],
  summary: "List the tenant's webhook endpoints",
  ...reads('webhooks'),
  responses: {
    200: json(
      z.object({ endpoints: z.array(WebhookEndpointSchema) }).openapi('WebhookEndpointList'),
      'Every endpoint of the tenant, oldest first; secrets by their last 4 characters only',
    ),
    ...problems(),
  },
});

const get = createRoute({
  method: 'get',
  path: '/webhook-endpoints/{endpointId}',
  operationId: 'getWebhookEndpoint',
  tags: ['Webhooks'],
  summary: 'Read a webhook endpoint',
  ...reads('webhooks'),
  request: { params: endpointParams },
  responses: {
    200: json(WebhookEndpointSchema, 'The endpoint'),
    ...problems(inputProblems, 'not-found'),
  },
});

const update = createRoute({
  method: 'patch',
  path: '/webhook-endpoints/{endpointId}',
  operationId: 'updateWebhookEndpoint',
  tags: ['Webhooks'],
  summary: 'Change or disable a webhook endpoint',
  ...needs('webhooks'),
  description:
    'Changes the URL (checked again), the event types, the description (null removes it) or the status. ' +
    'Enabling a disabled endpoint starts its failure count afresh.',
  request: {
    params: endpointParams,
    body: jsonBody(
      z
        .strictObject({
          url: url.optional(),
          eventTypes: eventTypes.optional(),
          description: freeText(200).nullable().optional(),
          status: z.enum(webhookEndpointStatuses).optional(),
        })
        .refine((body) => Object.keys(body).length > 0, { message: 'must change at least one field' })
        .openapi('UpdateWebhookEndpoint'),
    ),
  },
  responses: {
    200: json(WebhookEndpointSchema, 'The endpoint as changed'),
    ...problems(bodyProblems, 'not-found', 'webhook-url-refused'),
  },
});

const remove = createRoute({
  method: 'delete',
  path: '/webhook-endpoints/{endpointId}',
  operationId: 'deleteWebhookEndpoint',
  tags: ['Webhooks'],
  summary: 'Delete a webhook endpoint',
  ...needs('webhooks'),
  request: { params: endpointParams },
  responses: {
    204: { description: 'Deleted: nothing more is sent to it' },
    ...problems(inputProblems, 'not-found'),
  },
});

const roll = createRoute({
  method: 'post',
  path: '/webhook-endpoints/{endpointId}/roll-secret',
  operationId: 'rollWebhookSecret',
  tags: ['Webhooks'],
  summary: "Roll a webhook endpoint's signing secret",
  ...needs('webhooks'),
  description:
    'A new signing secret, shown once in this answer. The previous one keeps signing for 24 hours: ' +
    'deliveries meanwhile carry a `v1` signature for each.',
  request: { params: endpointParams },
  responses: {
    200: json(WebhookEndpointWithSecretSchema, 'The endpoint, with its new signing secret (shown only here)'),
    ...problems(inputProblems, 'not-found'),
  },
});

const deliveries = createRoute({
  method: 'get',
  path: '/webhook-endpoints/{endpointId}/deliveries',
  operationId: 'listWebhookDeliveries',
  tags: ['Webhooks'],
  summary: "List an endpoint's deliveries",
  description:
    'Newest first, each with every attempt (status or error, latency, next attempt). Page with ' +
    '`cursor` (the `nextCursor` of the previous page). Deliveries are kept 30 days once final.',
  ...reads('webhooks'),
  request: {
    params: endpointParams,
    query: eventPageQuery(20),
  },
  responses: {
    200: json(WebhookDeliveryListSchema, 'The deliveries, newest first'),
    ...problems(inputProblems, 'not-found'),
  },
});

const sendAgain = createRoute({
  method: 'post',
  path: '/webhook-endpoints/{endpointId}/deliveries/{eventId}/send-again',
  operationId: 'sendWebhookDeliveryAgain',
  tags: ['Webhooks'],
  summary: 'Send a delivered or failed event again',
  description:
    "Puts the delivery back to be sent now, with a fresh retry window, outside its order's queue " +
    '(later events of the order are not held back). A delivery still being tried: `invalid-state`.',
  ...needs('webhooks'),
  request: { params: idParams({ endpointId: 'whk', eventId: 'evt' }) },
  responses: {
    200: json(WebhookDeliverySchema, 'The delivery, pending again'),
    ...problems(inputProblems, 'not-found', 'invalid-state'),
  },
});

/** Webhook endpoints per tenant (Stripe's name and shape). A secret leaves only when minted. */
export function webhookEndpointRoutes(
  endpoints: WebhookEndpointService,
  sent: Pick<WebhookDeliveryService, 'list' | 'sendAgain'>,
) {
  return routeApp()
    .openapi(register, async (c) => {
      const { endpoint, secret } = await endpoints.register(tenantOf(c), {
        ...c.req.valid('json'),
        createdByKeyId: c.get('principal').keyId,
      });
      c.header('Location', `/v1/webhook-endpoints/${endpoint.endpointId}`);
      c.header('Cache-Control', 'no-store');
      return c.json(webhookEndpointWithSecretView(endpoint, secret), 201);
    })
    .openapi(list, async (c) => {
      const all = await endpoints.list(tenantOf(c));
      return c.json({ endpoints: all.map(webhookEndpointView) }, 200);
    })
    .openapi(get, async (c) =>
      c.json(webhookEndpointView(await endpoints.get(tenantOf(c), c.req.valid('param').endpointId)), 200),
    )
    .openapi(update, async (c) => {
      const { endpointId } = c.req.valid('param');
      const changed = await endpoints.update(tenantOf(c), endpointId, c.req.valid('json'));
      return c.json(webhookEndpointView(changed), 200);
    })
    .openapi(remove, async (c) => {
      await endpoints.delete(tenantOf(c), c.req.valid('param').endpointId);
      return c.body(null, 204);
    })
    .openapi(roll, async (c) => {
      const { endpointId } = c.req.valid('param');
      const { endpoint, secret } = await endpoints.rollSecret(tenantOf(c), endpointId);
      c.header('Cache-Control', 'no-store');
      return c.json(webhookEndpointWithSecretView(endpoint, secret), 200);
    })
    .openapi(deliveries, async (c) => {
      const { endpointId } = c.req.valid('param');
      const page = await sent.list(tenantOf(c), endpointId, c.req.valid('query'));
      return c.json(
        {
          deliveries: page.deliveries.map(webhookDeliveryView),
          ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
        },
        200,
      );
    })
    .openapi(sendAgain, async (c) => {
      const { endpointId, eventId } = c.req.valid('param');
      return c.json(webhookDeliveryView(await sent.sendAgain(tenantOf(c), endpointId, eventId)), 200);
    });
}
