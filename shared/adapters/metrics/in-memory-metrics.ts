import type { BusinessCount, BusinessGauge, Metrics } from '../../ports/metrics.js';
import { dimensionsOf } from './metric-dimensions.js';

/** `Refunds{Reason=report_upheld}`: a series named as the dashboard shows it. */
export type SeriesName = string;

/**
 * Keeps the figures in memory, by series: what the tests assert on, and what the local stack
 * logs once a minute (`flush` hands the last minute's figures to `onFlush`, then starts again).
 * `totals` keeps everything since start.
 */
export class InMemoryMetrics implements Metrics {
  private current = new Map<SeriesName, number>();
  private readonly all = new Map<SeriesName, number>();

  constructor(private readonly onFlush: (figures: Record<SeriesName, number>) => void = () => {}) {}

  count(metric: BusinessCount, value = 1): void {
    const dims = dimensionsOf(metric);
    const series =
      dims.length === 0 ? metric.name : `${metric.name}{${dims.map(([k, v]) => `${k}=${v}`).join(',')}}`;
    for (const map of [this.current, this.all]) map.set(series, (map.get(series) ?? 0) + value);
  }

  gauge(metric: BusinessGauge, value: number): void {
    for (const map of [this.current, this.all]) map.set(metric.name, value);
  }

  flush(): void {
    if (this.current.size === 0) return;
    const figures = Object.fromEntries(this.current);
    this.current = new Map();
    this.onFlush(figures);
  }

  /** Every series since start (counts summed, gauges as last measured). */
  totals(): Record<SeriesName, number> {
    return Object.fromEntries(this.all);
  }
}
