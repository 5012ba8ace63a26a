import { Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  SingleValueWidget,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { FunctionName } from '../function-specs.js';
import { alarmName } from './alarm-topic.js';

/** The namespace the functions' EMF writer uses (shared/adapters/metrics/emf-metrics.ts). */
export const BUSINESS_NAMESPACE = 'CardVault';

export interface BusinessMonitoringProps {
  readonly stage: string;
  readonly topic: ITopic;
  readonly api: HttpApi;
  readonly functions: Record<FunctionName, IFunction>;
  /** The webhook delivery functions (WebhookFunctions): in the function widgets, and the fan-out's stream lag. */
  readonly webhookFunctions?: { readonly fanOut: IFunction; readonly dispatcher: IFunction };
  /** Refunds as a share of reveals (%, per hour) above which someone should look. */
  readonly refundSharePercent: number;
  /** The escalation deadline the functions apply (the default outcome after it). */
  readonly escalationDeadlineSeconds: number;
}

/**
 * The business as operators watch it (issue 9 item 7): alarms on the refund share and on an
 * escalation waiting past half its deadline, and the stage's dashboard. The figures come from
 * the functions' EMF lines; each count is also written with `Stage` alone, which is what these
 * read (totals over outcomes and reasons).
 */
export class BusinessMonitoring extends Construct {
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: BusinessMonitoringProps) {
    super(scope, id);
    const total = (metricName: string, period = Duration.hours(1), statistic = 'Sum') =>
      new Metric({
        namespace: BUSINESS_NAMESPACE,
        metricName,
        dimensionsMap: { Stage: props.stage },
        period,
        statistic,
      });
    /** Every series of a metric split by one dimension (Outcome, Reason, Decision). */
    const split = (metricName: string, dimension: string, period = Duration.minutes(5)) =>
      new MathExpression({
        expression: `SEARCH('{${BUSINESS_NAMESPACE},Stage,${dimension}} MetricName="${metricName}" Stage="${props.stage}"', 'Sum', ${period.toSeconds()})`,
        period,
        label: `${metricName} by ${dimension}`,
      });

    const halfDeadline = Math.round(props.escalationDeadlineSeconds / 2);
    this.add(
      props,
      'RefundShare',
      `Refunds were ${props.refundSharePercent}% or more of reveals over an hour (counted from 20 reveals): ` +
        'a wave of dead codes, or a seller redeeming after deposit.',
      new MathExpression({
        expression: 'IF(reveals >= 20, 100 * refunds / reveals, 0)',
        usingMetrics: { refunds: total('Refunds'), reveals: total('Reveals') },
        period: Duration.hours(1),
        label: 'refunds % of reveals',
      }),
      props.refundSharePercent,
    );
    this.add(
      props,
      'EscalationWaiting',
      `An escalation has waited more than half its deadline (${halfDeadline} s): the dispute desk is behind, ` +
        "and at the deadline each escalation's reason gives its default: refund without a seller penalty, " +
        'or reject for buyer_credit_poor and unproven_history (GET /v1/escalations, oldest first).',
      total('OldestEscalationAge', Duration.minutes(5), 'Maximum'),
      halfDeadline,
    );

    this.add(
      props,
      'DepositsLocked',
      "A seller's deposits were locked: the budget of rejected codes (DEPOSIT_REJECT_BUDGET per hour) " +
        'was spent, someone may be guessing codes through the issuer check. The seller trail says ' +
        'who (seller.deposits_locked); POST /v1/sellers/{id}/unlock-deposits lifts a lock.',
      total('DepositLocks', Duration.minutes(5)),
      1,
    );

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `card-vault-${props.stage}`,
      defaultInterval: Duration.days(1),
    });
    const fns: IFunction[] = [
      ...Object.values(props.functions),
      ...(props.webhookFunctions ? [props.webhookFunctions.fanOut, props.webhookFunctions.dispatcher] : []),
    ];
    const fiveMinutes = Duration.minutes(5);
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# card-vault ${props.stage}\nBusiness figures from the functions' EMF lines (namespace \`${BUSINESS_NAMESPACE}\`); docs/operations.md explains each.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Sales',
        left: ['OrdersPlaced', 'Payments', 'Reveals', 'Refunds'].map((m) => total(m, fiveMinutes)),
        width: 12,
      }),
      new GraphWidget({ title: 'Deposits by outcome', left: [split('Deposits', 'Outcome')], width: 12 }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({ title: 'Refunds by reason', left: [split('Refunds', 'Reason')], width: 8 }),
      new GraphWidget({ title: 'Reports by decision', left: [split('Reports', 'Decision')], width: 8 }),
      new GraphWidget({
        title: 'Sellers',
        left: ['Strikes', 'Suspensions', 'DepositLocks'].map((m) => total(m, fiveMinutes)),
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new SingleValueWidget({
        title: 'Open escalations, oldest (s)',
        metrics: [
          total('OpenEscalations', fiveMinutes, 'Maximum'),
          total('OldestEscalationAge', fiveMinutes, 'Maximum'),
        ],
        width: 8,
      }),
      new GraphWidget({
        title: 'Webhook deliveries by outcome',
        left: [split('WebhookDeliveries', 'Outcome')],
        width: props.webhookFunctions ? 8 : 16,
      }),
      ...(props.webhookFunctions
        ? [
            new GraphWidget({
              title: 'Webhook fan-out stream lag (ms, max)',
              left: [
                props.webhookFunctions.fanOut.metric('IteratorAge', {
                  period: fiveMinutes,
                  statistic: 'Maximum',
                }),
              ],
              width: 8,
            }),
          ]
        : []),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'API requests and 5xx',
        left: [
          props.api.metricCount({ period: fiveMinutes }),
          props.api.metricServerError({ period: fiveMinutes }),
        ],
        width: 8,
      }),
      new GraphWidget({
        title: 'Function errors',
        left: fns.map((fn) => fn.metricErrors({ period: fiveMinutes })),
        width: 8,
      }),
      new GraphWidget({
        title: 'Function duration p99',
        left: fns.map((fn) => fn.metricDuration({ period: fiveMinutes, statistic: 'p99' })),
        width: 8,
      }),
    );
  }

  private add(
    props: BusinessMonitoringProps,
    id: string,
    description: string,
    metric: Metric | MathExpression,
    threshold: number,
  ): void {
    const alarm = new Alarm(this, id, {
      alarmName: alarmName(Stack.of(this), id),
      alarmDescription: description,
      metric,
      threshold,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(props.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
  }
}
