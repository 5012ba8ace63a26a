import { last4Of, type WebhookEndpoint, webhookEndpointStatuses } from '../../domain/webhook-endpoint.js';
import { webhookEventTypes } from '../../domain/webhook-event.js';
import { timestamp } from '../schemas.js';
import * as z from '../zod.js';

export const EndpointEventTypeSchema = z.enum([...webhookEventTypes, '*']);

const SecretHintSchema = z.object({
  last4: z
    .string()
    .openapi({ description: 'the last 4 characters of the secret; the secret itself is shown once' }),
  createdAt: timestamp(),
  expiresAt: timestamp()
    .optional()
    .openapi({ description: 'set on the secret before a roll: it signs deliveries until then (24 hours)' }),
});

const endpointFields = {
  endpointId: z.string(),
  url: z.string(),
  description: z.string().optional(),
  eventTypes: z.array(EndpointEventTypeSchema).openapi({ description: '`*`: every event type' }),
  status: z.enum(webhookEndpointStatuses),
  disabledReason: z
    .string()
    .optional()
    .openapi({ description: 'why the vault disabled it (repeated failed deliveries)' }),
  secrets: z.array(SecretHintSchema).openapi({
    description: 'the secrets that sign deliveries now, newest first: two during the overlap after a roll',
  }),
  createdAt: timestamp(),
};

export const WebhookEndpointSchema = z.object(endpointFields).openapi('WebhookEndpoint');

// Its own object, not an `extend` (an allOf in the document): every key declared in one place.
export const WebhookEndpointWithSecretSchema = z
  .object({
    ...endpointFields,
    secret: z.string().openapi({
      description: 'the signing secret (`whsec_...`), shown in this answer only: keep it now',
      example: 'whsec_Zt6kq0...',
    }),
  })
  .openapi('WebhookEndpointWithSecret');

/** Names what it publishes: the secrets only by their last 4 characters. */
export function webhookEndpointView(e: WebhookEndpoint): z.infer<typeof WebhookEndpointSchema> {
  return {
    endpointId: e.endpointId,
    url: e.url,
    ...(e.description !== undefined ? { description: e.description } : {}),
    eventTypes: [...e.eventTypes],
    status: e.status,
    ...(e.disabledReason !== undefined ? { disabledReason: e.disabledReason } : {}),
    secrets: e.secrets.map((s) => ({
      last4: last4Of(s),
      createdAt: s.createdAt,
      ...(s.expiresAt !== undefined ? { expiresAt: s.expiresAt } : {}),
    })),
    createdAt: e.createdAt,
  };
}

/** The one answer with the secret: registration and a roll. */
export function webhookEndpointWithSecretView(
  e: WebhookEndpoint,
  secret: string,
): z.infer<typeof WebhookEndpointWithSecretSchema> {
  return { ...webhookEndpointView(e), secret };
}
