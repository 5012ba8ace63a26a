import type { Clock } from '../ports/clock.js';

export interface CacheLimits {
  /** How long an entry is trusted without reading it again: the delay before a change is seen. 0 turns the cache off. */
  readonly seconds: number;
  /** At most this many entries are kept; the oldest goes first. */
  readonly entries: number;
}

/**
 * A per-process cache bounded in time and size, for records read on nearly every request that
 * change rarely (API keys, brands). Callers put only what a successful read found.
 */
export class TtlCache<V> {
  private readonly known = new Map<string, { readonly value: V; readonly until: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: CacheLimits,
  ) {}

  get(key: string): V | undefined {
    const entry = this.known.get(key);
    if (!entry) return undefined;
    if (this.clock.now().getTime() < entry.until) return entry.value;
    this.known.delete(key);
    return undefined;
  }

  remember(key: string, value: V): void {
    if (this.limits.seconds <= 0 || this.limits.entries <= 0) return;
    this.known.delete(key);
    while (this.known.size >= this.limits.entries) {
      const oldest = this.known.keys().next().value;
      if (oldest === undefined) break;
      this.known.delete(oldest);
    }
    this.known.set(key, { value, until: this.clock.now().getTime() + this.limits.seconds * 1000 });
  }

  forget(key: string): void {
    this.known.delete(key);
  }
}
