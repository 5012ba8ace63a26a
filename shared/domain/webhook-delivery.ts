import { isSellerLine } from './trail-type.js';
import type { TrailLine, WebhookEvent, WebhookEventType } from './webhook-event.js';
import { nextAttemptAt, type WebhookRetryPolicy } from './webhook-retry.js';

/**
 * One event on its way to one endpoint. `queued`: waiting behind an earlier delivery of the same
 * endpoint and subject; `pending`: the head of its queue, on the due index; `delivered` and
 * `failed` are final (failed: given up after the retry window, or the endpoint is gone).
 */
export const webhookDeliveryStates = ['queued', 'pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryState = (typeof webhookDeliveryStates)[number];

/** What one attempt found: the receiver's status (none when it never answered), or why it failed. */
export interface WebhookAttemptRecord {
  readonly at: string;
  readonly outcome: 'delivered' | 'failed';
  readonly status?: number;
  /** A class of failure (`status 500`, `timed out`, `ECONNREFUSED`...), never the body sent. */
  readonly error?: string;
  readonly latencyMs: number;
  /** When it is tried again; absent after a success or the last attempt. */
  readonly nextAttemptAt?: string;
}

export interface WebhookDelivery {
  readonly tenantId: string;
  readonly endpointId: string;
  readonly eventId: string;
  readonly type: WebhookEventType;
  /** What its order is kept within: `order:<id>` or `seller:<id>`. */
  readonly subject: string;
  /** The exact JSON body every attempt sends (the same bytes each time, so one signature input). */
  readonly payload: string;
  readonly state: WebhookDeliveryState;
  readonly createdAt: string;
  readonly attempts: readonly WebhookAttemptRecord[];
  /** Start of the retry window (the first attempt, or a "send again"). */
  readonly firstAttemptAt?: string;
  readonly nextAttemptAt?: string;
  /** Sent again on request: outside its subject's queue (it does not hold later events back). */
  readonly resend?: boolean;
}

/** The queue an event of an order or a seller belongs to; the payload names one or the other. */
export function subjectOf(event: WebhookEvent): string | undefined {
  const { orderId, sellerId } = event.data;
  if (isSellerLine(event.type) && typeof sellerId === 'string') return `seller:${sellerId}`;
  if (typeof orderId === 'string') return `order:${orderId}`;
  if (typeof sellerId === 'string') return `seller:${sellerId}`;
  return undefined;
}

/** The delivery after one attempt: delivered, pending again later, or failed for good. */
export interface AttemptResult {
  readonly state: 'delivered' | 'pending' | 'failed';
  readonly record: WebhookAttemptRecord;
  readonly firstAttemptAt: string;
}

export function afterAttempt(
  delivery: Pick<WebhookDelivery, 'firstAttemptAt' | 'attempts'>,
  attempt: { outcome: 'delivered' | 'failed'; status?: number; error?: string; latencyMs: number },
  policy: WebhookRetryPolicy,
  at: Date,
): AttemptResult {
  const firstAttemptAt = delivery.firstAttemptAt ?? at.toISOString();
  const base = {
    at: at.toISOString(),
    outcome: attempt.outcome,
    latencyMs: attempt.latencyMs,
    ...(attempt.status !== undefined ? { status: attempt.status } : {}),
    ...(attempt.error !== undefined ? { error: attempt.error } : {}),
  };
  if (attempt.outcome === 'delivered') return { state: 'delivered', record: base, firstAttemptAt };
  const next = nextAttemptAt(policy, new Date(firstAttemptAt), countSince(delivery, firstAttemptAt) + 1, at);
  if (next === undefined) return { state: 'failed', record: base, firstAttemptAt };
  return { state: 'pending', record: { ...base, nextAttemptAt: next.toISOString() }, firstAttemptAt };
}

/** Attempts in the current retry window (a "send again" opens a new one). */
function countSince(delivery: Pick<WebhookDelivery, 'attempts'>, firstAttemptAt: string): number {
  return delivery.attempts.filter((a) => a.at >= firstAttemptAt).length;
}

/** A trail line read from the table's stream, with the tenant whose partition it was written in. */
export interface TenantTrailLine {
  readonly tenantId: string;
  readonly line: TrailLine;
}
