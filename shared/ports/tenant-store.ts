import type { ApiKeyRecord, ApiKeyRevocation } from '../domain/api-key.js';
import type { Brand } from '../domain/brand.js';
import type { RatePolicy } from '../domain/rate-limit.js';
import type { Tenant } from '../domain/tenant.js';

/** Marketplaces, their API keys and the card brands they sell. */
export interface TenantStore {
  createTenant(tenant: Tenant, apiKey: ApiKeyRecord): Promise<void>;
  getTenant(tenantId: string): Promise<Tenant | undefined>;
  /** Sets the tenant's rate limit override, or removes it (`undefined`: the deployment's default). */
  setRateLimit(tenantId: string, policy: RatePolicy | undefined): Promise<void>;
  /** The stored key (its secret's hash, for a constant-time compare) by its id. */
  findApiKey(keyId: string): Promise<ApiKeyRecord | undefined>;
  /** Adds a key to its tenant; `ConcurrentUpdateError` if the id is taken. */
  putApiKey(apiKey: ApiKeyRecord): Promise<void>;
  /** A tenant's keys, oldest first (keys made before they were listed are not). */
  listApiKeys(tenantId: string): Promise<ApiKeyRecord[]>;
  /** Records that the key was used; an absent key is left absent. */
  touchApiKey(keyId: string, at: string): Promise<void>;
  /**
   * Removes an API key (revocation); removing an absent key is harmless. With `tenantId`, only
   * that tenant's key is removed, and the answer says whether one was.
   */
  deleteApiKey(keyId: string, tenantId?: string): Promise<boolean>;
  /** A line of the tenant's key trail (`T#<tenant>#KEYTRAIL`): a key revoked and what it ended. */
  recordKeyRevocation(line: ApiKeyRevocation): Promise<void>;
  putBrand(brand: Brand): Promise<void>;
  getBrand(brand: string): Promise<Brand | undefined>;
}
