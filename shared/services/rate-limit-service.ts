import type { BucketState, RateBucket, RatePolicy } from '../domain/rate-limit.js';
import type { RateBucketStore } from '../ports/rate-bucket-store.js';
import { type CacheLimits, TtlCache } from './ttl-cache.js';
import type { CoreDeps } from './vault-deps.js';

export interface RateLimitDeps extends Pick<CoreDeps, 'clock' | 'settings'> {
  readonly stores: Pick<CoreDeps['stores'], 'tenants'> & { readonly rateBuckets: RateBucketStore };
}

/**
 * Who may send how much: every `/v1` request takes a token from its tenant's bucket, and a hosted
 * link's POST first from the link's own (small) bucket, then from the tenant's. A refused request
 * takes no further token, so a link holder hammering a link empties the link's bucket, not the
 * tenant's. The tenant is always the authenticated one (an API key that matched, a link that
 * opened): a claimed id never reaches here.
 */
export class RateLimitService {
  /** A tenant's policy (its override or the deployment's default), read once per cache period. */
  private readonly policies: TtlCache<RatePolicy>;

  constructor(
    private readonly deps: RateLimitDeps,
    cacheLimits: CacheLimits = { seconds: 0, entries: 0 },
  ) {
    this.policies = new TtlCache(deps.clock, cacheLimits);
  }

  /** The tenant's bucket: one state, admitted or not. */
  async admitTenant(tenantId: string): Promise<BucketState[]> {
    const policy = await this.policyOf(tenantId);
    return [await this.take({ kind: 'tenant', tenantId }, policy)];
  }

  /** A link's POST: the link's bucket, then (if it admitted) the tenant's. */
  async admitLink(tenantId: string, linkId: string): Promise<BucketState[]> {
    const { linkRatePerSecond, linkBurst } = this.deps.settings;
    const link = await this.take(
      { kind: 'link', tenantId, linkId },
      { ratePerSecond: linkRatePerSecond, burst: linkBurst },
    );
    // Refused by its own bucket: the tenant's is not touched, nor shown (its state is not known).
    if (!link.admitted) return [link];
    return [link, await this.take({ kind: 'tenant', tenantId }, await this.policyOf(tenantId))];
  }

  private take(bucket: RateBucket, policy: RatePolicy): Promise<BucketState> {
    return this.deps.stores.rateBuckets.take(bucket, policy, this.deps.clock.now());
  }

  private async policyOf(tenantId: string): Promise<RatePolicy> {
    const cached = this.policies.get(tenantId);
    if (cached) return cached;
    const tenant = await this.deps.stores.tenants.getTenant(tenantId);
    const policy = tenant?.rateLimit ?? {
      ratePerSecond: this.deps.settings.tenantRatePerSecond,
      burst: this.deps.settings.tenantBurst,
    };
    this.policies.remember(tenantId, policy);
    return policy;
  }
}
