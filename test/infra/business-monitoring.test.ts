import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUSINESS_NAMESPACE } from '../../infra/constructs/business-monitoring.js';
import { STAGES, stageConfigFrom } from '../../infra/stage-config.js';
import { METRICS_NAMESPACE } from '../../shared/adapters/metrics/emf-metrics.js';
import { defaultSettings } from '../../shared/domain/vault-settings.js';
import { type Synthesized, synth } from './synth.js';

/** Issue 9 item 7: the business alarms and the stage's dashboard. */
let s: Synthesized;
beforeAll(() => {
  s = synth('prod', 'stub');
});
afterAll(() => s.cleanup());

const alarmNamed = (suffix: string) => {
  const alarms = Object.values(s.template.findResources('AWS::CloudWatch::Alarm')) as Array<{
    Properties: Record<string, unknown>;
  }>;
  const found = alarms.filter((a) => String(a.Properties.AlarmName).endsWith(suffix));
  expect(found, suffix).toHaveLength(1);
  return found[0]?.Properties as Record<string, any>;
};

describe('business monitoring', () => {
  it('reads the namespace the functions write', () => {
    expect(BUSINESS_NAMESPACE).toBe(METRICS_NAMESPACE);
  });

  it('alarms when refunds reach 5% of reveals over an hour, counted from 20 reveals', () => {
    const alarm = alarmNamed('RefundShare');
    expect(alarm.Threshold).toBe(5);
    const [expression, refunds, reveals] = alarm.Metrics as Array<Record<string, any>>;
    expect(expression?.Expression).toBe('IF(reveals >= 20, 100 * refunds / reveals, 0)');
    const byId = Object.fromEntries([refunds, reveals].map((m) => [m?.Id, m?.MetricStat]));
    for (const [id, name] of [
      ['refunds', 'Refunds'],
      ['reveals', 'Reveals'],
    ]) {
      expect(byId[id as string]).toMatchObject({
        Metric: { Namespace: 'CardVault', MetricName: name, Dimensions: [{ Name: 'Stage', Value: 'prod' }] },
        Period: 3600,
        Stat: 'Sum',
      });
    }
    expect(alarm.AlarmActions).toEqual(alarm.OKActions);
  });

  it('alarms when the oldest escalation is past half the deadline the functions apply', () => {
    for (const stage of STAGES) {
      const config = stageConfigFrom({
        tryGetContext: (k: string) => (k === 'stage' ? stage : undefined),
      } as never);
      expect(config.escalationDeadlineSeconds, stage).toBe(defaultSettings.escalationDeadlineSeconds);
    }
    const alarm = alarmNamed('EscalationWaiting');
    expect(alarm.Threshold).toBe(defaultSettings.escalationDeadlineSeconds / 2);
    expect(alarm).toMatchObject({
      MetricName: 'OldestEscalationAge',
      Namespace: 'CardVault',
      Statistic: 'Maximum',
    });
    // What the operator reads when it fires: the default depends on the reason (issue 17 item 4).
    expect(alarm.AlarmDescription).toContain('refund without a seller penalty');
    expect(alarm.AlarmDescription).toContain('reject for buyer_credit_poor and unproven_history');
  });

  it("alarms at the first lock of a seller's deposits (issue 19: a budget of rejected codes)", () => {
    const alarm = alarmNamed('DepositsLocked');
    expect(alarm).toMatchObject({
      Threshold: 1,
      MetricName: 'DepositLocks',
      Namespace: 'CardVault',
      Statistic: 'Sum',
      Period: 300,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(alarm.AlarmActions).toEqual(alarm.OKActions);
  });

  it('has a dashboard for the stage with the business figures and every function', () => {
    s.template.hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: 'card-vault-prod',
      DashboardBody: Match.anyValue(),
    });
    const [dashboard] = Object.values(s.template.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard?.Properties?.DashboardBody);
    for (const metric of [
      'OrdersPlaced',
      'Payments',
      'Reveals',
      'Refunds',
      'Deposits',
      'Reports',
      'Strikes',
      'Suspensions',
      'DepositLocks',
      'OpenEscalations',
      'OldestEscalationAge',
      'WebhookDeliveries',
    ]) {
      expect(body, metric).toContain(metric);
    }
    for (const fn of ['api', 'deposit', 'reveal', 'sweeper'] as const) {
      expect(body).toContain(s.stack.getLogicalId(s.stack.functions.all[fn].fn.node.defaultChild as never));
    }
    for (const fn of ['webhookFanOut', 'webhookDispatcher'] as const) {
      expect(body, fn).toContain(
        s.stack.getLogicalId(s.stack.webhooks.all[fn].fn.node.defaultChild as never),
      );
    }
    expect(body).toContain('IteratorAge');
  });
});
