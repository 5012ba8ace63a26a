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
  /** Count calls, fail none. */
  count(): void {
    this.calls = 0;
    this.armedAt = 0;
  }
  off(): void {
    this.armedAt = 0;
  }

  /** Wraps every method of `port`; `failable: false` counts calls only (the clock cannot be down). */
  wrap<T extends object>(name: string, port: T, failable = true): T {
    return new Proxy(port, {
      get: (target, property, receiver) => {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          const n = ++this.calls;
          const fire = failable && this.armedAt !== 0 && n === this.armedAt;
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
