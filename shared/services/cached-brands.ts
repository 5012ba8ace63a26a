import type { Brand } from '../domain/brand.js';
import type { Clock } from '../ports/clock.js';
import type { TenantStore } from '../ports/tenant-store.js';
import { type CacheLimits, TtlCache } from './ttl-cache.js';

/**
 * The tenant store with brands kept briefly: a brand (issuer URL, patterns) is read by the listing,
 * deposit and reveal of every sale and changes only by an operator's `npm run brand`. A change made
 * through this store is seen at once here, by other processes within `limits.seconds`. Unknown
 * brands are never kept, so a brand registered elsewhere is usable at its first request.
 */
export function withCachedBrands(store: TenantStore, clock: Clock, limits: CacheLimits): TenantStore {
  const brands = new TtlCache<Brand>(clock, limits);
  // One read per brand at a time: a burst of first requests shares it.
  const reads = new Map<string, Promise<Brand | undefined>>();
  return {
    createTenant: (tenant, apiKey) => store.createTenant(tenant, apiKey),
    getTenant: (tenantId) => store.getTenant(tenantId),
    setRateLimit: (tenantId, policy) => store.setRateLimit(tenantId, policy),
    findApiKey: (keyId) => store.findApiKey(keyId),
    putApiKey: (apiKey) => store.putApiKey(apiKey),
    recordKeyRevocation: (line) => store.recordKeyRevocation(line),
    listApiKeys: (tenantId) => store.listApiKeys(tenantId),
    touchApiKey: (keyId, at) => store.touchApiKey(keyId, at),
    deleteApiKey: (keyId, tenantId) => store.deleteApiKey(keyId, tenantId),
    async putBrand(brand) {
      brands.forget(brand.brand);
      await store.putBrand(brand);
      brands.forget(brand.brand);
    },
    async getBrand(name) {
      const cached = brands.get(name);
      if (cached) return cached;
      const pending = reads.get(name);
      if (pending) return pending;
      const read = store
        .getBrand(name)
        .then((found) => {
          if (found) brands.remember(name, found);
          return found;
        })
        .finally(() => reads.delete(name));
      reads.set(name, read);
      return read;
    },
  };
}
