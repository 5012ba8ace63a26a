import type { BusinessCount, BusinessGauge, Metrics } from '../../ports/metrics.js';
import { type DimensionName, dimensionsOf } from './metric-dimensions.js';

export const METRICS_NAMESPACE = 'CardVault';

interface Pending {
  readonly dimensions: ReadonlyArray<readonly [DimensionName, string]>;
  readonly values: Map<string, { unit: 'Count' | 'Seconds'; value: number }>;
}

export interface EmfMetricsOptions {
  readonly stage: string;
  /** Where each EMF document goes, one JSON line each (Lambda: stdout, read by CloudWatch Logs). */
  readonly write?: (line: string) => void;
  readonly now?: () => Date;
}

/**
 * CloudWatch embedded metric format (EMF) writer. Counts are summed in memory per metric and
 * dimensions; `flush` writes one document per distinct set of dimension values, each metric
 * under every prefix of its dimensions (`[Stage]`, `[Stage, Outcome]`, `[Stage, Outcome, Reason]`)
 * so alarms can use the totals without SEARCH. A document holds only the stage, the
 * vocabulary-checked dimensions and the numbers: no property that could carry an id or a code.
 */
export class EmfMetrics implements Metrics {
  private readonly pending = new Map<string, Pending>();
  private readonly write: (line: string) => void;
  private readonly now: () => Date;

  constructor(private readonly options: EmfMetricsOptions) {
    this.write = options.write ?? ((line) => void process.stdout.write(`${line}\n`));
    this.now = options.now ?? (() => new Date());
  }

  count(metric: BusinessCount, value = 1): void {
    this.add(dimensionsOf(metric), metric.name, 'Count', value, true);
  }

  gauge(metric: BusinessGauge, value: number): void {
    this.add([], metric.name, metric.unit, value, false);
  }

  flush(): void {
    const timestamp = this.now().getTime();
    for (const { dimensions, values } of this.pending.values()) {
      const keys = ['Stage', ...dimensions.map(([name]) => name)];
      const document: Record<string, unknown> = {
        _aws: {
          Timestamp: timestamp,
          CloudWatchMetrics: [
            {
              Namespace: METRICS_NAMESPACE,
              Dimensions: keys.map((_, i) => keys.slice(0, i + 1)),
              Metrics: [...values].map(([name, { unit }]) => ({ Name: name, Unit: unit })),
            },
          ],
        },
        Stage: this.options.stage,
        ...Object.fromEntries(dimensions),
        ...Object.fromEntries([...values].map(([name, { value }]) => [name, value])),
      };
      this.write(JSON.stringify(document));
    }
    this.pending.clear();
  }

  private add(
    dimensions: ReadonlyArray<readonly [DimensionName, string]>,
    name: string,
    unit: 'Count' | 'Seconds',
    value: number,
    sum: boolean,
  ): void {
    if (!Number.isFinite(value)) return;
    const key = JSON.stringify(dimensions);
    let group = this.pending.get(key);
    if (!group) {
      group = { dimensions, values: new Map() };
      this.pending.set(key, group);
    }
    const previous = group.values.get(name);
    // Counts add up within an invocation; a gauge keeps its latest reading.
    group.values.set(name, { unit, value: sum && previous ? previous.value + value : value });
  }
}
