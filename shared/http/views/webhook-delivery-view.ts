import { type WebhookDelivery, webhookDeliveryStates } from '../../domain/webhook-delivery.js';
import { webhookEventTypes } from '../../domain/webhook-event.js';
import { timestamp } from '../schemas.js';
import * as z from '../zod.js';

const AttemptSchema = z.object({
  at: timestamp(),
  outcome: z.enum(['delivered', 'failed']),
  status: z.number().int().optional().openapi({ description: "the receiver's status, when it answered" }),
  error: z.string().optional().openapi({ description: 'why it failed (`status 500`, `timed out`...)' }),
  latencyMs: z.number().int(),
  nextAttemptAt: timestamp().optional(),
});

/** One event on its way to one endpoint, with every attempt. The payload is the event as sent. */
export const WebhookDeliverySchema = z
  .object({
    eventId: z.string(),
    type: z.enum(webhookEventTypes),
    state: z.enum(webhookDeliveryStates).openapi({
      description:
        '`queued` behind an earlier event of the same order or seller; `pending` (being tried); ' +
        '`delivered`; `failed` (given up after the retry window)',
    }),
    createdAt: timestamp(),
    nextAttemptAt: timestamp().optional(),
    attempts: z.array(AttemptSchema),
    resend: z.boolean().optional().openapi({ description: 'sent again on request' }),
    payload: z.string().openapi({ description: 'the exact body each attempt sends (JSON); never a code' }),
  })
  .openapi('WebhookDelivery');

export const WebhookDeliveryListSchema = z
  .object({ deliveries: z.array(WebhookDeliverySchema), nextCursor: z.string().optional() })
  .openapi('WebhookDeliveryList');

export function webhookDeliveryView(d: WebhookDelivery): z.infer<typeof WebhookDeliverySchema> {
  return {
    eventId: d.eventId,
    type: d.type,
    state: d.state,
    createdAt: d.createdAt,
    ...(d.nextAttemptAt !== undefined ? { nextAttemptAt: d.nextAttemptAt } : {}),
    attempts: d.attempts.map((a) => ({
      at: a.at,
      outcome: a.outcome,
      ...(a.status !== undefined ? { status: a.status } : {}),
      ...(a.error !== undefined ? { error: a.error } : {}),
      latencyMs: a.latencyMs,
      ...(a.nextAttemptAt !== undefined ? { nextAttemptAt: a.nextAttemptAt } : {}),
    })),
    ...(d.resend ? { resend: true } : {}),
    payload: d.payload,
  };
}
