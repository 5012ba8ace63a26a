export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. Default 5. */
  readonly failureThreshold?: number;
  /** How long the circuit stays open before one probe may go through. Default 30 000 ms. */
  readonly cooldownMs?: number;
  /** Milliseconds since the epoch; injected so tests can move time. */
  readonly now?: () => number;
}

/**
 * A consecutive-failure circuit breaker for one dependency. Callers ask `tryAcquire()` before
 * each attempt and report the outcome with `onSuccess()` / `onFailure()`.
 *
 * closed -> (failureThreshold consecutive failures) -> open -> (cooldown) -> half-open, which
 * lets exactly one probe through: success closes the circuit, failure opens it again.
 */
export class CircuitBreaker {
  private readonly failureThreshold: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;
  private consecutiveFailures = 0;
  private openedAt: number | undefined;
  private probeInFlight = false;

  constructor(options: CircuitBreakerOptions = {}) {
    this.failureThreshold = options.failureThreshold ?? 5;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.now = options.now ?? Date.now;
    if (!Number.isInteger(this.failureThreshold) || this.failureThreshold < 1) {
      throw new RangeError('failureThreshold must be a positive integer');
    }
  }

  /** The state as of now; an open circuit whose cooldown has passed reads as half-open. */
  get state(): CircuitState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.cooldownMs ? 'half-open' : 'open';
  }

  /**
   * Whether an attempt may go out now. In half-open this grants the single probe; further
   * callers are refused until the probe reports back, so a struggling dependency is not
   * flooded the moment the cooldown ends.
   */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === 'closed') return true;
    if (state === 'open' || this.probeInFlight) return false;
    this.probeInFlight = true;
    return true;
  }

  onSuccess(): void {
    this.consecutiveFailures = 0;
    this.openedAt = undefined;
    this.probeInFlight = false;
  }

  onFailure(): void {
    this.consecutiveFailures += 1;
    // A failed probe reopens at once, whatever the count: the dependency is still down.
    if (this.probeInFlight || this.consecutiveFailures >= this.failureThreshold) {
      this.openedAt = this.now();
    }
    this.probeInFlight = false;
  }
}
