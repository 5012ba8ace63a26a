import type { Clock } from '../ports/clock.js';

/** What a successful key lookup found: the tenant and the stored hash of the secret (never the secret). */
export interface KnownKey {
  readonly tenantId: string;
  readonly secretHash: string;
}

export interface ApiKeyCacheLimits {
  /** How long a found key is trusted without reading its record again: the revocation delay. 0 turns the cache off. */
  readonly seconds: number;
  /** At most this many keys are kept; the oldest entry goes first. */
  readonly entries: number;
}

/**
 * Successful API-key lookups, kept briefly so a busy tenant's requests do not each read the key's
 * record. Bounded in time (a revoked or deleted key keeps working at most `seconds`) and in size.
 * Keyed by key id; holds the stored SHA-256 of the secret, compared by the caller in constant time.
 */
export class ApiKeyCache {
  private readonly known = new Map<string, KnownKey & { readonly until: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: ApiKeyCacheLimits,
  ) {}

  get(keyId: string): KnownKey | undefined {
    const entry = this.known.get(keyId);
    if (!entry) return undefined;
    if (this.clock.now().getTime() < entry.until) return entry;
    this.known.delete(keyId);
    return undefined;
  }

  remember(keyId: string, key: KnownKey): void {
    if (this.limits.seconds <= 0 || this.limits.entries <= 0) return;
    this.known.delete(keyId);
    while (this.known.size >= this.limits.entries) {
      const oldest = this.known.keys().next().value;
      if (oldest === undefined) break;
      this.known.delete(oldest);
    }
    const until = this.clock.now().getTime() + this.limits.seconds * 1000;
    this.known.set(keyId, { tenantId: key.tenantId, secretHash: key.secretHash, until });
  }

  forget(keyId: string): void {
    this.known.delete(keyId);
  }
}
