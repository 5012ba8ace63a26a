import type { Metrics } from '../../shared/ports/metrics.js';

/**
 * The handler, flushing the invocation's metrics when it ends, answered or thrown: one EMF
 * document per dimension set per invocation, on stdout before Lambda freezes the process.
 */
export function flushingMetrics<A extends unknown[], R>(
  metrics: Metrics,
  handler: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await handler(...args);
    } finally {
      metrics.flush();
    }
  };
}
