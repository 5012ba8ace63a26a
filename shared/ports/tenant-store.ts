import type { Brand } from '../domain/brand.js';
import type { RatePolicy } from '../domain/rate-limit.js';
import type { Tenant } from '../domain/tenant.js';

/** Marketplaces, their API keys and the card brands they sell. */
export interface TenantStore {
  createTenant(tenant: Tenant, apiKey: { keyId: string; secretHash: string }): Promise<void>;
  getTenant(tenantId: string): Promise<Tenant | undefined>;
  /** Sets the tenant's rate limit override, or removes it (`undefined`: the deployment's default). */
  setRateLimit(tenantId: string, policy: RatePolicy | undefined): Promise<void>;
  /** The tenant and stored secret hash for an API key id, for a constant-time compare. */
  findApiKey(keyId: string): Promise<{ tenantId: string; secretHash: string } | undefined>;
  /** Removes an API key (revocation); removing an absent key is harmless. */
  deleteApiKey(keyId: string): Promise<void>;
  putBrand(brand: Brand): Promise<void>;
  getBrand(brand: string): Promise<Brand | undefined>;
}
