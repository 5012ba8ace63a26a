import type { AttemptResult, WebhookDelivery } from '../domain/webhook-delivery.js';

/** A delivery as the fan-out creates it: the stored one before any state or attempt. */
export type NewWebhookDelivery = Pick<
  WebhookDelivery,
  'tenantId' | 'endpointId' | 'eventId' | 'type' | 'subject' | 'payload' | 'createdAt'
>;

/**
 * `head`: first of its (endpoint, subject) queue, due now; `queued`: behind an earlier delivery of
 * the same queue; `duplicate`: this endpoint already has this event (a redelivered stream batch).
 */
export type EnqueueOutcome = 'head' | 'queued' | 'duplicate';

/** A due-index row: which delivery, and the due key it was seen under (claims are conditioned on it). */
export interface DueWebhookDelivery {
  readonly tenantId: string;
  readonly endpointId: string;
  readonly eventId: string;
  readonly dueKey: string;
}

/** A delivery this dispatcher holds until `leaseUntil`: no other dispatcher attempts it meanwhile. */
export interface ClaimedWebhookDelivery {
  readonly delivery: WebhookDelivery;
  readonly leaseKey: string;
}

export interface DeliveryPage {
  readonly deliveries: readonly WebhookDelivery[];
  readonly nextCursor?: string;
}

export type SendAgainOutcome = 'requeued' | 'not-found' | 'not-finished';

/**
 * Webhook deliveries: one item per (endpoint, event), a queue per (endpoint, subject) of which
 * only the head is on the due index, so events of one order go out in trail order. Implementation:
 * DynamoDB, in the endpoint's own partition, due keys on gsi1 `WHK#<shard>`.
 */
export interface WebhookDeliveryStore {
  /** Writes the delivery once (conditional on endpoint + event id) and joins it to its queue. */
  enqueue(delivery: NewWebhookDelivery): Promise<EnqueueOutcome>;
  /**
   * Deliveries due by `now` across the due shards, the longest due first, at most `limit` per
   * shard, of which at most `perTenant` (default `limit`) of one tenant: a tenant's backlog is
   * passed over, so the deliveries of other tenants due after it are found on the same call.
   */
  listDue(now: string, limit: number, perTenant?: number): Promise<DueWebhookDelivery[]>;
  /**
   * Takes a due delivery until `leaseUntil`; undefined if another dispatcher took it or it is no
   * longer due. A final delivery may come back this way: its queue was not advanced yet.
   */
  claim(due: DueWebhookDelivery, leaseUntil: string): Promise<ClaimedWebhookDelivery | undefined>;
  /**
   * Records an attempt on a claimed delivery: pending again at its next attempt, or final. A final
   * delivery stays on the due index (leased) until `finish`, so a dispatcher that dies before
   * advancing its queue leaves it for the next one. Answers the new lease for `finish`, or
   * undefined if the lease was lost (another dispatcher's record wins).
   */
  recordAttempt(
    claimed: ClaimedWebhookDelivery,
    result: AttemptResult,
    leaseUntil: string,
  ): Promise<ClaimedWebhookDelivery | undefined>;
  /** Takes a final delivery off the due index, once its queue has advanced. */
  finish(claimed: ClaimedWebhookDelivery): Promise<void>;
  /** After the head `eventId` of its queue is final: the next queued delivery becomes due now. */
  advance(tenantId: string, endpointId: string, subject: string, eventId: string, now: string): Promise<void>;
  get(tenantId: string, endpointId: string, eventId: string): Promise<WebhookDelivery | undefined>;
  /** An endpoint's deliveries, newest first. */
  listByEndpoint(
    tenantId: string,
    endpointId: string,
    page: { limit: number; cursor?: string },
  ): Promise<DeliveryPage>;
  /** Puts a final delivery back on the due index now, outside its queue, with a new retry window. */
  sendAgain(tenantId: string, endpointId: string, eventId: string, now: string): Promise<SendAgainOutcome>;
  /**
   * Counts one more delivery failed for good on the endpoint, and disables it at `threshold`.
   * Answers whether this call disabled it.
   */
  recordEndpointFailure(
    tenantId: string,
    endpointId: string,
    threshold: number,
    at: string,
  ): Promise<boolean>;
  /** A success ends the endpoint's run of failures. */
  resetEndpointFailures(tenantId: string, endpointId: string): Promise<void>;
}
