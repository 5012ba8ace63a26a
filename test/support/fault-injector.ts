import { DependencyUnavailableError } from '../../shared/domain/errors.js';

/** How the armed call fails: the dependency is down, or the write committed and its answer was lost. */
export const FAULT_MODES = ['outage', 'lost-answer'] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

/**
 * One counter over every wrapped port, so a test can fail the k-th port call of a flow whatever
 * port it lands on. Test-only: it wraps the real adapters, it never replaces them.
 */
export class FaultPlan {
  private calls = 0;
  private armedAt = 0;
  private mode: FaultMode = 'outage';
  private armedOn: string | undefined;
  /** Port calls since the last `arm`/`count` (what the flow made). */
  get made(): number {
    return this.calls;
  }
  /** Fail the k-th call from now (1-based) in the given mode. */
  arm(k: number, mode: FaultMode): void {
    this.calls = 0;
    this.armedAt = k;
    this.mode = mode;
  }
  /** Fail every call to one port method (`'orders.listOpenSellerOrders'`) until `off`: a state to start from. */
  armOn(call: string, mode: FaultMode): void {
    this.calls = 0;
    this.armedAt = 0;
    this.armedOn = call;
    this.mode = mode;
  }
  /** Count calls, fail none. */
  count(): void {
    this.calls = 0;
    this.armedAt = 0;
    this.armedOn = undefined;
  }
  off(): void {
    this.armedAt = 0;
    this.armedOn = undefined;
  }

  /** Wraps every method of `port`; `failable: false` leaves it as is (the clock cannot be down). */
  wrap<T extends object>(name: string, port: T, failable = true): T {
    // The clock cannot fail: its calls are not counted either, so no k is spent on one.
    if (!failable) return port;
    return new Proxy(port, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const n = ++this.calls;
          const fire =
            (this.armedAt !== 0 && n === this.armedAt) || this.armedOn === `${name}.${String(property)}`;
          if (!fire) return value.apply(target, args);
          const failure = () =>
            new DependencyUnavailableError(
              `injected ${this.mode} at call ${n} (${name}.${String(property)})`,
            );
          if (this.mode === 'outage') return Promise.reject(failure());
          // Call through, then lose the answer: the nasty case for a write.
          return Promise.resolve(value.apply(target, args)).then(() => Promise.reject(failure()));
        };
      },
    });
  }
}
