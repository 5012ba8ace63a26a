import type { RatePolicy } from './rate-limit.js';

/** A marketplace using the vault; every stored item and API key belongs to one. */
export interface Tenant {
  readonly tenantId: string;
  readonly name: string;
  readonly createdAt: string;
  /** An operator's override of the deployment's rate limit (TENANT_RATE_PER_SECOND, TENANT_BURST). */
  readonly rateLimit?: RatePolicy;
}
