import * as z from 'zod/mini';
import {
  type WebhookAttemptRecord,
  type WebhookDelivery,
  webhookDeliveryStates,
} from '../../domain/webhook-delivery.js';
import { webhookEventTypes } from '../../domain/webhook-event.js';
import { entity, optionalText, text } from './item-schema.js';

const attempt = entity<WebhookAttemptRecord>()(
  z.object({
    at: text,
    outcome: z.enum(['delivered', 'failed']),
    status: z.optional(z.number()),
    error: optionalText,
    latencyMs: z.number(),
    nextAttemptAt: optionalText,
  }),
);

export const deliverySchema = entity<WebhookDelivery>()(
  z.object({
    tenantId: text,
    endpointId: text,
    eventId: text,
    type: z.enum(webhookEventTypes),
    subject: text,
    payload: text,
    state: z.enum(webhookDeliveryStates),
    createdAt: text,
    attempts: z.array(attempt),
    firstAttemptAt: optionalText,
    nextAttemptAt: optionalText,
    resend: z.optional(z.boolean()),
  }),
);

/** A parsed item is a delivery (zod drops the attributes the schema does not name: keys, ttl). */
export function toDelivery(item: z.output<typeof deliverySchema>): WebhookDelivery {
  return item;
}

/** The event ids waiting in a queue item (a string set; DynamoDB drops an emptied set). */
export function waitingOf(queue: Record<string, unknown>): string[] {
  const waiting = queue.waiting;
  return waiting instanceof Set ? [...waiting].filter((id): id is string => typeof id === 'string') : [];
}
