import { type AttemptResult, afterAttempt } from '../domain/webhook-delivery.js';
import { signingSecrets } from '../domain/webhook-endpoint.js';
import type { ClaimedWebhookDelivery, DueWebhookDelivery } from '../ports/webhook-delivery-store.js';
import { signWebhook } from '../webhooks/sign-webhook.js';
import { TenantEndpoints, type WebhookDispatchDeps } from './webhook-deps.js';

/** Due rows read per shard per tick. */
const PAGE = 100;
/** A lease outlives the attempt's deadline by this much, so a record always lands inside it. */
const LEASE_MARGIN_MS = 30_000;

/**
 * Attempts due deliveries. `tick` reads the due index and starts attempts without waiting for
 * them, so a slow endpoint holds only its own slots (at most `perEndpointInFlight`) and never
 * the next tick; `drain` waits for what is in flight. Each attempt first claims its delivery
 * (a conditional lease on the due key), so two dispatchers never attempt one delivery at once,
 * and a dispatcher that dies leaves the delivery due again when its lease ends.
 */
export class WebhookDispatcher {
  private readonly endpoints: TenantEndpoints;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly perEndpoint = new Map<string, number>();

  constructor(private readonly deps: WebhookDispatchDeps) {
    this.endpoints = new TenantEndpoints(deps, (tenantId) => deps.endpoints.list(tenantId));
  }

  /**
   * Starts the attempts due now that have a free slot; answers how many it started, and whether
   * the dispatcher is idle (nothing was due and nothing is in flight), which ends a scheduled run.
   */
  async tick(): Promise<{ started: number; idle: boolean }> {
    const { maxInFlight, perEndpointInFlight } = this.deps.settings;
    if (this.inFlight.size >= maxInFlight) return { started: 0, idle: false };
    const due = await this.deps.deliveries.listDue(this.deps.clock.now().toISOString(), PAGE);
    let started = 0;
    for (const row of due) {
      if (this.inFlight.size >= maxInFlight) break;
      const key = `${row.tenantId}#${row.endpointId}#${row.eventId}`;
      const endpointKey = `${row.tenantId}#${row.endpointId}`;
      const busy = this.perEndpoint.get(endpointKey) ?? 0;
      if (this.inFlight.has(key) || busy >= perEndpointInFlight) continue;
      this.perEndpoint.set(endpointKey, busy + 1);
      const attempt = this.attempt(row)
        .catch((error: unknown) =>
          this.deps.logger.error(
            { err: error instanceof Error ? error.name : typeof error, endpointId: row.endpointId },
            'webhook attempt failed to record',
          ),
        )
        .finally(() => {
          this.inFlight.delete(key);
          const left = (this.perEndpoint.get(endpointKey) ?? 1) - 1;
          if (left > 0) this.perEndpoint.set(endpointKey, left);
          else this.perEndpoint.delete(endpointKey);
        });
      this.inFlight.set(key, attempt);
      started += 1;
    }
    return { started, idle: due.length === 0 && this.inFlight.size === 0 };
  }

  /** Waits for every attempt in flight (a Lambda invocation's end, a stopping local stack). */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight.values()]);
  }

  private leaseUntil(): string {
    return new Date(
      this.deps.clock.now().getTime() + this.deps.settings.timeoutMs + LEASE_MARGIN_MS,
    ).toISOString();
  }

  private async attempt(row: DueWebhookDelivery): Promise<void> {
    const claimed = await this.deps.deliveries.claim(row, this.leaseUntil());
    if (!claimed) return; // another dispatcher has it
    const { delivery } = claimed;
    if (delivery.state === 'delivered' || delivery.state === 'failed') return this.finish(claimed);
    const endpoint = (await this.endpoints.of(delivery.tenantId)).find(
      (e) => e.endpointId === delivery.endpointId,
    );
    const now = this.deps.clock.now();
    if (endpoint?.status !== 'enabled') {
      // Not an attempt: nothing was sent, and the endpoint's failures are not counted again.
      const error = endpoint ? 'endpoint disabled' : 'endpoint deleted';
      const record = { at: now.toISOString(), outcome: 'failed' as const, error, latencyMs: 0 };
      const result: AttemptResult = {
        state: 'failed',
        record,
        firstAttemptAt: delivery.firstAttemptAt ?? record.at,
      };
      return this.record(claimed, result, { attempted: false, hadFailures: false });
    }
    const signature = signWebhook(
      delivery.payload,
      Math.floor(now.getTime() / 1000),
      signingSecrets(endpoint, now),
    );
    const sent = await this.deps.transport.send(endpoint.url, delivery.payload, signature);
    const result = afterAttempt(delivery, sent, this.deps.settings.retry, this.deps.clock.now());
    await this.record(claimed, result, { attempted: true, hadFailures: endpoint.consecutiveFailures > 0 });
  }

  private async record(
    claimed: ClaimedWebhookDelivery,
    result: AttemptResult,
    { attempted, hadFailures }: { attempted: boolean; hadFailures: boolean },
  ) {
    const { deliveries, metrics, logger } = this.deps;
    const recorded = await deliveries.recordAttempt(claimed, result, this.leaseUntil());
    if (!recorded) return; // the lease ran out and another dispatcher took over
    const { tenantId, endpointId, eventId, type, resend } = claimed.delivery;
    metrics.count({
      name: 'WebhookDeliveries',
      outcome: result.state === 'pending' ? 'retrying' : result.state,
    });
    logger.info(
      {
        endpointId,
        eventId,
        type,
        outcome: result.state,
        status: result.record.status,
        error: result.record.error,
        latencyMs: result.record.latencyMs,
        nextAttemptAt: result.record.nextAttemptAt,
      },
      'webhook attempt',
    );
    if (result.state === 'pending') return;
    if (result.state === 'delivered' && hadFailures)
      await deliveries.resetEndpointFailures(tenantId, endpointId);
    if (result.state === 'failed' && !resend && attempted) {
      const threshold = this.deps.settings.retry.disableAfterFailures;
      if (await deliveries.recordEndpointFailure(tenantId, endpointId, threshold, result.record.at)) {
        logger.warn({ endpointId, failures: threshold }, 'webhook endpoint disabled');
      }
    }
    await this.finish(recorded);
  }

  /** A final delivery: the next of its queue becomes due, then it leaves the due index. */
  private async finish(claimed: ClaimedWebhookDelivery): Promise<void> {
    const { tenantId, endpointId, subject, eventId, resend } = claimed.delivery;
    if (!resend) {
      await this.deps.deliveries.advance(
        tenantId,
        endpointId,
        subject,
        eventId,
        this.deps.clock.now().toISOString(),
      );
    }
    await this.deps.deliveries.finish(claimed);
  }
}
