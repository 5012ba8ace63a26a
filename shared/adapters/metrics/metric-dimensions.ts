import { depositOutcomes, depositReasons } from '../../domain/deposit-outcome.js';
import { reportDecisions } from '../../domain/report-decision.js';
import { type BusinessCount, refundMetricReasons, webhookDeliveryOutcomes } from '../../ports/metrics.js';

/** The dimension names a business count may carry, in the order they nest. */
export const dimensionNames = ['Outcome', 'Reason', 'Decision'] as const;
export type DimensionName = (typeof dimensionNames)[number];

const allowed: Record<DimensionName, ReadonlySet<string>> = {
  Outcome: new Set<string>([...depositOutcomes, ...webhookDeliveryOutcomes]),
  Reason: new Set<string>([...depositReasons, ...refundMetricReasons]),
  Decision: new Set<string>(reportDecisions),
};

/**
 * A count's dimensions as ordered pairs. A value outside its vocabulary (only reachable through a
 * cast) throws, so no id, free text or code can ever become a dimension or a metric property.
 */
export function dimensionsOf(metric: BusinessCount): Array<readonly [DimensionName, string]> {
  const source = metric as { outcome?: unknown; reason?: unknown; decision?: unknown };
  const pairs: Array<readonly [DimensionName, unknown]> = [
    ['Outcome', source.outcome],
    ['Reason', source.reason],
    ['Decision', source.decision],
  ];
  return pairs
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => {
      if (typeof value !== 'string' || !allowed[name].has(value)) {
        throw new TypeError(`metric ${metric.name}: ${name} is not a declared value`);
      }
      return [name, value] as const;
    });
}
