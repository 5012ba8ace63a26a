import { type AttemptResult, afterAttempt } from '../domain/webhook-delivery.js';
import {
  isClearSecret,
  type SigningSecret,
  signingSecrets,
  type WebhookEndpoint,
} from '../domain/webhook-endpoint.js';
import type { ClaimedWebhookDelivery, DueWebhookDelivery } from '../ports/webhook-delivery-store.js';
import { signWebhook } from '../webhooks/sign-webhook.js';
import { TenantEndpoints, type WebhookDispatchDeps } from './webhook-deps.js';
import type { DispatchTicker, TickOptions } from './webhook-dispatch-run.js';
import { endpointSlot, SlotCounts, takeInTurn } from './webhook-turns.js';

/** Opened signing secrets kept per dispatcher (3 at most per endpoint, 16 endpoints per tenant). */
const OPENED_SECRETS = 2_000;
/** Due rows read per shard per tick. */
const PAGE = 100;
/** A lease outlives the attempt's deadline by this much, so a record always lands inside it. */
const LEASE_MARGIN_MS = 30_000;

/**
 * Attempts due deliveries. `tick` reads the due index and starts attempts without waiting for
 * them, so a slow endpoint holds only its own slots and never the next tick; `drain` waits for
 * what is in flight. Slots go to tenants in turn, at most `perTenantInFlight` per tenant and
 * `perEndpointInFlight` per endpoint (`takeInTurn`), and every attempt ends by the transport's
 * deadline: a tenant whose receivers hang delays its own deliveries, not another tenant's. Each
 * attempt first claims its delivery (a conditional lease on the due key), so two dispatchers
 * never attempt one delivery at once, and a dispatcher that dies leaves the delivery due again
 * when its lease ends.
 */
export class WebhookDispatcher implements DispatchTicker {
  private readonly endpoints: TenantEndpoints;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly perTenant = new SlotCounts();
  private readonly perEndpoint = new SlotCounts();
  /**
   * Secrets opened, by tenant, endpoint and ciphertext: one kms:Decrypt per secret while the
   * process lives, not one per delivery. The key names the endpoint, so a ciphertext copied to
   * another endpoint is opened (and refused) under that endpoint's context, never served from here.
   */
  private readonly opened = new Map<string, Promise<string>>();

  constructor(private readonly deps: WebhookDispatchDeps) {
    this.endpoints = new TenantEndpoints(deps, (tenantId) => deps.endpoints.list(tenantId));
  }

  /**
   * Starts the attempts due now that have a free slot, unless it is past `startBy` (epoch ms: an
   * attempt started later could not end before the run does); answers how many it started, and
   * whether the dispatcher is idle (nothing was due and nothing is in flight), which ends a run.
   */
  async tick(options: TickOptions = {}): Promise<{ started: number; idle: boolean }> {
    const { settings } = this.deps;
    if (this.inFlight.size >= settings.maxInFlight) return { started: 0, idle: false };
    const due = await this.deps.deliveries.listDue(
      this.deps.clock.now().toISOString(),
      PAGE,
      settings.perTenantInFlight,
    );
    const late = options.startBy !== undefined && this.deps.clock.now().getTime() > options.startBy;
    const chosen = late
      ? []
      : takeInTurn(
          due,
          {
            total: this.inFlight.size,
            tenants: this.perTenant,
            endpoints: this.perEndpoint,
            isInFlight: (row) => this.inFlight.has(attemptKey(row)),
          },
          settings,
        );
    for (const row of chosen) this.start(row);
    return { started: chosen.length, idle: due.length === 0 && this.inFlight.size === 0 };
  }

  private start(row: DueWebhookDelivery): void {
    const key = attemptKey(row);
    this.perTenant.take(row.tenantId);
    this.perEndpoint.take(endpointSlot(row));
    const attempt = this.attempt(row)
      .catch((error: unknown) =>
        this.deps.logger.error(
          { err: error instanceof Error ? error.name : typeof error, endpointId: row.endpointId },
          'webhook attempt failed to record',
        ),
      )
      .finally(() => {
        this.inFlight.delete(key);
        this.perTenant.give(row.tenantId);
        this.perEndpoint.give(endpointSlot(row));
      });
    this.inFlight.set(key, attempt);
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
    const secrets = await Promise.all(signingSecrets(endpoint, now).map((s) => this.open(endpoint, s)));
    const signature = signWebhook(delivery.payload, Math.floor(now.getTime() / 1000), secrets);
    const sent = await this.deps.transport.send(endpoint.url, delivery.payload, signature);
    const result = afterAttempt(delivery, sent, this.deps.settings.retry, this.deps.clock.now());
    await this.record(claimed, result, { attempted: true, hadFailures: endpoint.consecutiveFailures > 0 });
  }

  /**
   * A secret to sign with: opened with the webhook secret key under the endpoint's context, or as
   * stored by a vault before issue 20 (clear, until the endpoint's next change seals it). A secret
   * that does not open fails the attempt before anything is sent: nothing goes out unsigned.
   */
  private open(endpoint: WebhookEndpoint, secret: SigningSecret): Promise<string> {
    if (isClearSecret(secret)) return Promise.resolve(secret.secret);
    const key = `${endpoint.tenantId}#${endpoint.endpointId}#${secret.sealed}`;
    const known = this.opened.get(key);
    if (known) return known;
    if (this.opened.size >= OPENED_SECRETS) this.opened.clear();
    const opening = this.deps.secrets.open(secret.sealed, {
      tenantId: endpoint.tenantId,
      endpointId: endpoint.endpointId,
    });
    this.opened.set(key, opening);
    // A failure is not remembered: the next attempt asks KMS again.
    opening.catch(() => this.opened.delete(key));
    return opening;
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

const attemptKey = (row: DueWebhookDelivery) => `${row.tenantId}#${row.endpointId}#${row.eventId}`;
