import { defaultWebhookRetryPolicy, type WebhookRetryPolicy } from './webhook-retry.js';

/** The delivery knobs: the retry policy and how the dispatcher spreads its attempts. */
export interface WebhookSettings {
  readonly retry: WebhookRetryPolicy;
  /** One attempt's deadline, connection and answer included. */
  readonly timeoutMs: number;
  /** How long a tenant's endpoints are trusted without reading them again (fan-out and dispatcher). */
  readonly endpointCacheSeconds: number;
  /** Attempts in flight at once per dispatcher process. */
  readonly maxInFlight: number;
  /** Attempts in flight at once to one endpoint, so one slow endpoint cannot take every slot. */
  readonly perEndpointInFlight: number;
  /**
   * Attempts in flight at once for one tenant, whatever its endpoints and backlog: a tenant whose
   * receivers hang holds at most this share of `maxInFlight`, the rest stays for the others.
   */
  readonly perTenantInFlight: number;
}

export const defaultWebhookSettings: WebhookSettings = {
  retry: defaultWebhookRetryPolicy,
  timeoutMs: 10_000,
  endpointCacheSeconds: 10,
  maxInFlight: 64,
  perEndpointInFlight: 8,
  perTenantInFlight: 16,
};
