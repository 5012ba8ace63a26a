import { describe, expect, it } from 'vitest';
import { EmfMetrics, METRICS_NAMESPACE } from '../../shared/adapters/metrics/emf-metrics.js';
import { InMemoryMetrics } from '../../shared/adapters/metrics/in-memory-metrics.js';
import type { BusinessCount } from '../../shared/ports/metrics.js';
import { emfViolations } from '../support/emf-spec.js';

const AT = new Date('2026-12-02T12:00:00.000Z');

function emf() {
  const lines: string[] = [];
  const metrics = new EmfMetrics({ stage: 'prod', write: (line) => lines.push(line), now: () => AT });
  return { metrics, lines, documents: () => lines.map((l) => JSON.parse(l) as Record<string, any>) };
}

describe('EmfMetrics', () => {
  it('writes one valid EMF document per dimension set, counts summed, with the stage and every prefix of its dimensions', () => {
    const { metrics, documents } = emf();
    metrics.count({ name: 'Reveals' });
    metrics.count({ name: 'Reveals' });
    metrics.count({ name: 'Payments' });
    metrics.count({ name: 'Deposits', outcome: 'rejected', reason: 'duplicate' }, 3);
    metrics.count({ name: 'Refunds', reason: 'code_dead_before_reveal' });
    metrics.flush();

    const docs = documents();
    for (const doc of docs) expect(emfViolations(doc)).toEqual([]);
    expect(docs).toEqual([
      {
        _aws: {
          Timestamp: AT.getTime(),
          CloudWatchMetrics: [
            {
              Namespace: METRICS_NAMESPACE,
              Dimensions: [['Stage']],
              Metrics: [
                { Name: 'Reveals', Unit: 'Count' },
                { Name: 'Payments', Unit: 'Count' },
              ],
            },
          ],
        },
        Stage: 'prod',
        Reveals: 2,
        Payments: 1,
      },
      {
        _aws: {
          Timestamp: AT.getTime(),
          CloudWatchMetrics: [
            {
              Namespace: METRICS_NAMESPACE,
              Dimensions: [['Stage'], ['Stage', 'Outcome'], ['Stage', 'Outcome', 'Reason']],
              Metrics: [{ Name: 'Deposits', Unit: 'Count' }],
            },
          ],
        },
        Stage: 'prod',
        Outcome: 'rejected',
        Reason: 'duplicate',
        Deposits: 3,
      },
      {
        _aws: {
          Timestamp: AT.getTime(),
          CloudWatchMetrics: [
            {
              Namespace: METRICS_NAMESPACE,
              Dimensions: [['Stage'], ['Stage', 'Reason']],
              Metrics: [{ Name: 'Refunds', Unit: 'Count' }],
            },
          ],
        },
        Stage: 'prod',
        Reason: 'code_dead_before_reveal',
        Refunds: 1,
      },
    ]);
  });

  it('keeps a gauge at its latest reading, in its unit', () => {
    const { metrics, documents } = emf();
    metrics.gauge({ name: 'OpenEscalations', unit: 'Count' }, 4);
    metrics.gauge({ name: 'OpenEscalations', unit: 'Count' }, 3);
    metrics.gauge({ name: 'OldestEscalationAge', unit: 'Seconds' }, 3600);
    metrics.flush();
    const [doc] = documents();
    expect(emfViolations(doc)).toEqual([]);
    expect(doc?._aws.CloudWatchMetrics[0].Metrics).toEqual([
      { Name: 'OpenEscalations', Unit: 'Count' },
      { Name: 'OldestEscalationAge', Unit: 'Seconds' },
    ]);
    expect(doc).toMatchObject({ OpenEscalations: 3, OldestEscalationAge: 3600 });
  });

  it('writes nothing when nothing was counted, and empties its buffer on flush', () => {
    const { metrics, lines } = emf();
    metrics.flush();
    expect(lines).toEqual([]);
    metrics.count({ name: 'Strikes' }, 2);
    metrics.flush();
    metrics.flush();
    expect(lines).toHaveLength(1);
  });

  it('refuses a dimension value outside its vocabulary, so no id or code can become a dimension', () => {
    const { metrics, lines } = emf();
    const smuggled = { name: 'Refunds', reason: 'DEMO-ABCD-1234-EFGH' } as unknown as BusinessCount;
    expect(() => metrics.count(smuggled)).toThrow(/Reason is not a declared value/);
    const extra = {
      name: 'Reveals',
      orderId: 'ord_1',
      code: 'DEMO-ABCD-1234-EFGH',
    } as unknown as BusinessCount;
    metrics.count(extra);
    metrics.flush();
    expect(lines.join('\n')).not.toMatch(/ord_1|DEMO/);
  });

  it('is read the same by the in-memory recorder, by series name', () => {
    const flushed: Array<Record<string, number>> = [];
    const metrics = new InMemoryMetrics((figures) => flushed.push(figures));
    metrics.count({ name: 'Reports', decision: 'escalated' });
    metrics.count({ name: 'Deposits', outcome: 'pending', reason: 'issuer_unavailable' });
    metrics.flush();
    metrics.count({ name: 'Reports', decision: 'escalated' });
    expect(flushed).toEqual([
      { 'Reports{Decision=escalated}': 1, 'Deposits{Outcome=pending,Reason=issuer_unavailable}': 1 },
    ]);
    expect(metrics.totals()).toMatchObject({ 'Reports{Decision=escalated}': 2 });
  });
});

describe('emfViolations (the spec checker itself)', () => {
  it('finds a dimension without its member, a metric without a value, and a bad timestamp', () => {
    expect(
      emfViolations({
        _aws: {
          Timestamp: 17,
          CloudWatchMetrics: [
            { Namespace: 'N', Dimensions: [['Stage']], Metrics: [{ Name: 'X', Unit: 'Things' }] },
          ],
        },
      }),
    ).toEqual([
      '_aws.Timestamp is not epoch milliseconds',
      'CloudWatchMetrics[0]: dimension Stage is not a string member',
      'CloudWatchMetrics[0]: metric X has no numeric member',
      'CloudWatchMetrics[0]: metric X has unit Things',
    ]);
  });
});
