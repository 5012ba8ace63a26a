import type { WebhookEndpoint } from '../domain/webhook-endpoint.js';
import type { WebhookSettings } from '../domain/webhook-settings.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { WebhookDeliveryStore } from '../ports/webhook-delivery-store.js';
import type { WebhookEndpointStore } from '../ports/webhook-endpoint-store.js';
import type { WebhookSecretOpener } from '../ports/webhook-secret-cipher.js';
import type { WebhookTransport } from '../ports/webhook-transport.js';
import type { CacheLimits } from './ttl-cache.js';
import { TtlCache } from './ttl-cache.js';

/** What webhook delivery needs: no order store, no cipher, no issuer (the fan-out and dispatcher functions). */
export interface WebhookDeps {
  /** `listRoutes` for the fan-out, `list` (URL and secrets) for the dispatcher. */
  readonly endpoints: Pick<WebhookEndpointStore, 'list' | 'listRoutes'>;
  readonly deliveries: WebhookDeliveryStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly settings: WebhookSettings;
}

/** The dispatcher also opens the endpoints' signing secrets, and sends. */
export interface WebhookDispatchDeps extends WebhookDeps {
  readonly transport: WebhookTransport;
  readonly secrets: WebhookSecretOpener;
}

/** A tenant's endpoints (as `list` reads them), one query per tenant per `endpointCacheSeconds`. */
export class TenantEndpoints<T = WebhookEndpoint> {
  private readonly cache: TtlCache<T[]>;

  constructor(
    deps: Pick<WebhookDeps, 'clock' | 'settings'>,
    private readonly list: (tenantId: string) => Promise<T[]>,
  ) {
    const limits: CacheLimits = { seconds: deps.settings.endpointCacheSeconds, entries: 1000 };
    this.cache = new TtlCache(deps.clock, limits);
  }

  async of(tenantId: string): Promise<T[]> {
    const known = this.cache.get(tenantId);
    if (known) return known;
    const endpoints = await this.list(tenantId);
    this.cache.remember(tenantId, endpoints);
    return endpoints;
  }
}
