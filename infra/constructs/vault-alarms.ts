import { Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  type IMetric,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Operation } from 'aws-cdk-lib/aws-dynamodb';
import type { IRule } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FunctionName } from '../function-specs.js';
import { alarmName } from './alarm-topic.js';

/** The operations the functions send (deletes only ever ride in transactions); at most 10 per metric math. */
const TABLE_OPERATIONS = [
  Operation.GET_ITEM,
  Operation.QUERY,
  Operation.PUT_ITEM,
  Operation.UPDATE_ITEM,
  Operation.TRANSACT_WRITE_ITEMS,
];

export interface VaultAlarmsProps {
  readonly topic: ITopic;
  readonly api: HttpApi;
  readonly table: Table;
  readonly functions: Record<FunctionName, IFunction>;
  /**
   * Every dead-letter queue of a schedule or an EventBridge rule target, by its alarm's name, with
   * what a message in it means: one alarm each, on its first message.
   */
  readonly deadLetters: Readonly<Record<string, { readonly queue: IQueue; readonly description: string }>>;
  /** EventBridge rules whose failed target invocations page, by alarm name (the key-change rule). */
  readonly rules: Readonly<Record<string, IRule>>;
  /** The webhook delivery path (WebhookFunctions); its dispatcher's schedule shares the sweeper's queue. */
  readonly webhooks?: {
    readonly fanOut: IFunction;
    readonly dispatcher: IFunction;
    readonly fanOutFailures: IQueue;
    /** The `Stage` dimension of the dispatcher's EMF metrics. */
    readonly stage: string;
  };
}

const FIVE_MINUTES = Duration.minutes(5);
/** METRICS_NAMESPACE of shared/adapters/metrics/emf-metrics.ts (infra imports no runtime code; resources.test.ts compares). */
const BUSINESS_METRICS_NAMESPACE = 'CardVault';
const TITLES: Record<FunctionName, string> = {
  api: 'Api',
  deposit: 'Deposit',
  reveal: 'Reveal',
  sweeper: 'Sweeper',
};

/** Every alarm notifies the topic when it fires and when it clears. docs/operations.md "Alarms" explains each. */
export class VaultAlarms extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(
    scope: Construct,
    id: string,
    private readonly props: VaultAlarmsProps,
  ) {
    super(scope, id);
    const { api, table, functions } = props;

    this.add(
      'Api5xxRate',
      '1% or more of API requests answered 5xx over 5 minutes (counted from 20 requests up).',
      {
        metric: new MathExpression({
          expression: 'IF(requests >= 20, 100 * errors / requests, 0)',
          usingMetrics: {
            errors: api.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' }),
            requests: api.metricCount({ period: FIVE_MINUTES, statistic: 'Sum' }),
          },
          period: FIVE_MINUTES,
          label: '5xx %',
        }),
        threshold: 1,
      },
    );
    for (const name of ['api', 'deposit', 'reveal'] as const) {
      this.add(
        `${TITLES[name]}Errors`,
        `The ${name} function failed (crash or timeout) 3+ times in 5 minutes.`,
        {
          metric: functions[name].metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
          threshold: 3,
        },
      );
    }
    for (const name of ['api', 'deposit', 'reveal', 'sweeper'] as const) {
      this.add(
        `${TITLES[name]}Throttles`,
        `The ${name} function was throttled (concurrency limit reached).`,
        {
          metric: functions[name].metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
          threshold: 1,
        },
      );
    }
    this.add(
      'SweeperFailing',
      'The sweeper failed in 3 of the last 5 minutes: due orders are not expiring or releasing.',
      {
        metric: functions.sweeper.metricErrors({ period: Duration.minutes(1), statistic: 'Sum' }),
        threshold: 1,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
      },
    );
    this.add(
      'SweeperStalled',
      'The sweeper has not run for 5 minutes (schedule disabled or cannot invoke).',
      {
        metric: functions.sweeper.metricInvocations({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.BREACHING,
      },
    );
    this.add(
      'RecheckStalled',
      'The recheck job has not been invoked for 5 minutes (schedule disabled or cannot invoke): escalations and unrevealed paid orders are not re-asked.',
      {
        // Scheduler invokes asynchronously and API Gateway synchronously: the reveal function's
        // async events are the recheck job's, and nothing else's.
        metric: functions.reveal.metric('AsyncEventsReceived', { period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.BREACHING,
      },
    );
    for (const [id, { queue, description }] of Object.entries(props.deadLetters)) {
      this.add(id, description, {
        metric: queue.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: 'Maximum',
        }),
        threshold: 1,
      });
    }
    for (const [id, rule] of Object.entries(props.rules)) {
      this.add(
        id,
        `EventBridge could not deliver an event of rule ${rule.ruleName} to its target (see its dead-letter queue).`,
        {
          metric: new Metric({
            namespace: 'AWS/Events',
            metricName: 'FailedInvocations',
            dimensionsMap: { RuleName: rule.ruleName },
            period: FIVE_MINUTES,
            statistic: 'Sum',
          }),
          threshold: 1,
        },
      );
    }
    this.add(
      'TableSystemErrors',
      'DynamoDB answered with internal server errors (HTTP 500) on the vault table.',
      {
        metric: table.metricSystemErrorsForOperations({ operations: TABLE_OPERATIONS, period: FIVE_MINUTES }),
        threshold: 1,
      },
    );
    this.add(
      'TableThrottles',
      'DynamoDB throttled requests on the vault table (on-demand limits or a hot key).',
      {
        metric: table.metricThrottledRequestsForOperations({
          operations: TABLE_OPERATIONS,
          period: FIVE_MINUTES,
        }),
        threshold: 1,
      },
    );
    if (props.webhooks) this.addWebhookAlarms(props.webhooks);
  }

  private addWebhookAlarms(webhooks: NonNullable<VaultAlarmsProps['webhooks']>): void {
    this.add(
      'WebhookDeliveriesFailed',
      'A webhook delivery was given up (3 days of retries) or its endpoint was gone: see the dispatcher logs.',
      {
        // The dispatcher's EMF count; every count is also written under [Stage, Outcome].
        metric: new Metric({
          namespace: BUSINESS_METRICS_NAMESPACE,
          metricName: 'WebhookDeliveries',
          dimensionsMap: { Stage: webhooks.stage, Outcome: 'failed' },
          period: FIVE_MINUTES,
          statistic: 'Sum',
        }),
        threshold: 1,
      },
    );
    this.add(
      'WebhookFanOutIteratorAge',
      'The webhook fan-out is 5+ minutes behind the table stream (failing batches or throttled): events are late.',
      {
        metric: webhooks.fanOut.metric('IteratorAge', { period: FIVE_MINUTES, statistic: 'Maximum' }),
        threshold: 5 * 60 * 1000,
      },
    );
    for (const [title, fn] of [
      ['WebhookFanOut', webhooks.fanOut],
      ['WebhookDispatcher', webhooks.dispatcher],
    ] as const) {
      this.add(`${title}Errors`, `The ${title} function failed (crash or timeout) 3+ times in 5 minutes.`, {
        metric: fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 3,
      });
      this.add(
        `${title}Throttles`,
        `The ${title} function was throttled (the account's unreserved concurrency is exhausted).`,
        {
          metric: fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' }),
          threshold: 1,
        },
      );
    }
    this.add(
      'WebhookDispatcherStalled',
      'The webhook dispatcher has not run for 5 minutes (schedule disabled or cannot invoke): no delivery is attempted.',
      {
        metric: webhooks.dispatcher.metricInvocations({ period: FIVE_MINUTES, statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.BREACHING,
      },
    );
    this.add(
      'WebhookFanOutFailures',
      'The webhook fan-out gave up a stream batch: its events were not enqueued. Replay the range in the message.',
      {
        metric: webhooks.fanOutFailures.metricApproximateNumberOfMessagesVisible({
          period: FIVE_MINUTES,
          statistic: 'Maximum',
        }),
        threshold: 1,
      },
    );
  }

  private add(
    id: string,
    description: string,
    options: {
      metric: IMetric;
      threshold: number;
      evaluationPeriods?: number;
      datapointsToAlarm?: number;
      comparisonOperator?: ComparisonOperator;
      treatMissingData?: TreatMissingData;
    },
  ): void {
    const alarm = new Alarm(this, id, {
      alarmName: alarmName(Stack.of(this), id),
      alarmDescription: description,
      metric: options.metric,
      threshold: options.threshold,
      evaluationPeriods: options.evaluationPeriods ?? 1,
      datapointsToAlarm: options.datapointsToAlarm ?? options.evaluationPeriods ?? 1,
      comparisonOperator: options.comparisonOperator ?? ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: options.treatMissingData ?? TreatMissingData.NOT_BREACHING,
    });
    const action = new SnsAction(this.props.topic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
    this.alarms.push(alarm);
  }
}
