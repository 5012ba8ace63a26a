import { Match } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FUNCTION_SPECS,
  type FunctionName,
  WEBHOOK_FUNCTION_SPECS,
  type WebhookFunctionName,
} from '../../infra/function-specs.js';
import { keys } from '../../shared/adapters/dynamodb/keys.js';
import { METRICS_NAMESPACE } from '../../shared/adapters/metrics/emf-metrics.js';
import { ENV } from '../../shared/config/env-names.js';
import { type Synthesized, synth } from './synth.js';

let s: Synthesized;
beforeAll(() => {
  s = synth('prod', 'stub');
});
afterAll(() => s.cleanup());

const NAMES: FunctionName[] = ['api', 'deposit', 'reveal', 'sweeper'];
const fnId = (name: FunctionName) =>
  s.stack.getLogicalId(s.stack.functions.all[name].fn.node.defaultChild as CfnFunction);
const fnResource = (name: FunctionName) => s.template.findResources('AWS::Lambda::Function')[fnId(name)];
const ref = (id: string) => ({ Ref: id });

describe('table', () => {
  it('is on-demand, point-in-time recoverable, deletion-protected, retained, with TTL and a stream', () => {
    s.template.resourceCountIs('AWS::DynamoDB::Table', 1);
    s.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
      }),
    });
  });

  it('has the keys and indexes of the shared table definition', () => {
    s.template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: [
        Match.objectLike({
          IndexName: 'gsi1',
          KeySchema: [
            Match.objectLike({ AttributeName: 'gsi1pk' }),
            Match.objectLike({ AttributeName: 'gsi1sk' }),
          ],
        }),
        Match.objectLike({
          IndexName: 'gsi2',
          KeySchema: [
            Match.objectLike({ AttributeName: 'gsi2pk' }),
            Match.objectLike({ AttributeName: 'gsi2sk' }),
          ],
        }),
      ],
    });
  });
});

describe('functions', () => {
  it('run Node.js 24 on arm64 with source maps, JSON platform logs and the chosen memory and timeout', () => {
    for (const name of NAMES) {
      expect(fnResource(name)?.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: FUNCTION_SPECS[name].memoryMb,
        Timeout: FUNCTION_SPECS[name].timeoutSeconds,
        LoggingConfig: { LogFormat: 'JSON' },
        Environment: { Variables: expect.objectContaining({ NODE_OPTIONS: '--enable-source-maps' }) },
      });
    }
  });

  it('receive the table, stage and log level (timings keep the runtime defaults), and key ids only where used', () => {
    const table = ref(s.stack.getLogicalId(s.stack.table.table.node.defaultChild as never));
    const keyArn = (key: 'codeKey' | 'fingerprintKey' | 'evidenceKey' | 'webhookSecretKey' | 'linkKey') => ({
      'Fn::GetAtt': [s.stack.getLogicalId(s.stack.keys[key].node.defaultChild as never), 'Arn'],
    });
    const common = {
      [ENV.tableName]: table,
      [ENV.stage]: 'prod',
      [ENV.logLevel]: 'info',
      NODE_OPTIONS: '--enable-source-maps',
    };
    const env = (name: FunctionName) => fnResource(name)?.Properties.Environment.Variables;
    expect(env('api')).toEqual({
      ...common,
      [ENV.evidenceKeyId]: keyArn('evidenceKey'),
      [ENV.webhookSecretKeyId]: keyArn('webhookSecretKey'),
      [ENV.linkKeyId]: keyArn('linkKey'),
    });
    expect(env('sweeper')).toEqual(common);
    expect(env('reveal')).toEqual({
      ...common,
      [ENV.codeKeyId]: keyArn('codeKey'),
      [ENV.linkKeyId]: keyArn('linkKey'),
    });
    expect(env('deposit')).toEqual({
      ...common,
      [ENV.codeKeyId]: keyArn('codeKey'),
      [ENV.fingerprintKeyId]: keyArn('fingerprintKey'),
    });
  });

  it('reserve concurrency in prod for every HTTP function (overload is throttled, test/infra/overload.test.ts) and the sweeper (one at a time)', () => {
    expect(fnResource('api')?.Properties.ReservedConcurrentExecutions).toBe(400);
    expect(fnResource('reveal')?.Properties.ReservedConcurrentExecutions).toBe(201);
    expect(fnResource('deposit')?.Properties.ReservedConcurrentExecutions).toBe(30);
    expect(fnResource('sweeper')?.Properties.ReservedConcurrentExecutions).toBe(1);
  });

  it('log to their own log groups with a retention', () => {
    for (const name of NAMES) {
      const logGroupId = s.stack.getLogicalId(
        s.stack.functions.all[name].logGroup.node.defaultChild as never,
      );
      expect(fnResource(name)?.Properties.LoggingConfig.LogGroup).toEqual(ref(logGroupId));
      expect(s.template.findResources('AWS::Logs::LogGroup')[logGroupId]?.Properties.RetentionInDays).toBe(
        90,
      );
    }
  });
});

describe('sweeper schedule', () => {
  const queueArn = () => ({
    'Fn::GetAtt': [s.stack.getLogicalId(s.stack.sweeper.deadLetters.node.defaultChild as never), 'Arn'],
  });

  it('invokes the sweeper every minute, retrying a failed delivery only within that minute', () => {
    s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [fnId('sweeper'), 'Arn'] },
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 },
      }),
    });
  });

  it('records an undelivered sweep and a failed or expired run in its dead-letter queue', () => {
    s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      Target: Match.objectLike({ DeadLetterConfig: { Arn: queueArn() } }),
    });
    s.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: ref(fnId('sweeper')),
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 60,
      DestinationConfig: { OnFailure: { Destination: queueArn() } },
    });
  });

  it('runs the recheck job in the reveal function every minute, with its own event source and dead-letter queue', () => {
    const recheckQueue = {
      'Fn::GetAtt': [s.stack.getLogicalId(s.stack.recheck.deadLetters.node.defaultChild as never), 'Arn'],
    };
    // The sweeper, the recheck job and the webhook dispatcher.
    s.template.resourceCountIs('AWS::Scheduler::Schedule', 3);
    s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [fnId('reveal'), 'Arn'] },
        Input: Match.stringLikeRegexp('"source":"card-vault.recheck"'),
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 },
        DeadLetterConfig: { Arn: recheckQueue },
      }),
    });
    s.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: ref(fnId('reveal')),
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 60,
      DestinationConfig: { OnFailure: { Destination: recheckQueue } },
    });
  });

  it('keeps dead letters encrypted for 14 days and accepts them over TLS only', () => {
    // The three schedules' and the key-change rule's dead letters, and the webhook fan-out's failures.
    s.template.resourceCountIs('AWS::SQS::Queue', 5);
    s.template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      }),
    });
  });
});

describe('HTTP API', () => {
  const integrationOf = (routeKey: string) => {
    const [route] = Object.values(
      s.template.findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } }),
    );
    const target = JSON.stringify(route?.Properties.Target);
    const integrationId = /"([A-Za-z0-9]+Integration[A-Za-z0-9]*)"/.exec(target)?.[1] ?? '';
    const uri = s.template.findResources('AWS::ApiGatewayV2::Integration')[integrationId]?.Properties
      .IntegrationUri;
    return uri?.['Fn::GetAtt']?.[0] as string | undefined;
  };

  it('routes reveal and reports to the reveal function, deposit and withdraw to the deposit function, the rest to api', () => {
    s.template.resourceCountIs('AWS::ApiGatewayV2::Route', 14);
    expect(integrationOf('POST /v1/orders/{id}/reveal')).toBe(fnId('reveal'));
    expect(integrationOf('POST /v1/orders/{id}/reports')).toBe(fnId('reveal'));
    expect(integrationOf('POST /v1/listings/{id}/cards')).toBe(fnId('deposit'));
    expect(integrationOf('DELETE /v1/listings/{id}/cards/{cardId}')).toBe(fnId('deposit'));
    expect(integrationOf('$default')).toBe(fnId('api'));
  });

  it('routes the link API to the api function', () => {
    for (const key of [
      'POST /v1/orders/{id}/reveal-links',
      'POST /v1/listings/{id}/deposit-links',
      'GET /v1/links/{id}',
      'DELETE /v1/links/{id}',
    ]) {
      expect(integrationOf(key), key).toBe(fnId('api'));
    }
  });

  it('routes the hosted pages by privilege: GETs to api, the reveal button and report to reveal, the deposit form to deposit', () => {
    expect(integrationOf('GET /links/{token}')).toBe(fnId('api'));
    expect(integrationOf('GET /links/assets/{file}')).toBe(fnId('api'));
    expect(integrationOf('POST /links/{token}/reveal')).toBe(fnId('reveal'));
    expect(integrationOf('POST /links/{token}/report')).toBe(fnId('reveal'));
    expect(integrationOf('POST /links/{token}/cards')).toBe(fnId('deposit'));
    // One integration (and one invoke permission) serves the api function's named routes and $default.
    const apiIntegrations = Object.values(s.template.findResources('AWS::ApiGatewayV2::Integration')).filter(
      (i) => i.Properties.IntegrationUri?.['Fn::GetAtt']?.[0] === fnId('api'),
    );
    expect(apiIntegrations).toHaveLength(1);
  });

  it('has no CORS configuration', () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.absent() });
  });

  it('throttles $default and every named route with the limits derived from its share of its function', () => {
    // burst = a quarter of the share, rate = the rest over the timeout (api 10 s, reveal 20 s, deposit 29 s).
    const deposit = { ThrottlingRateLimit: 0.24, ThrottlingBurstLimit: 3 };
    const reveal = { ThrottlingRateLimit: 1.85, ThrottlingBurstLimit: 13 };
    const links = { ThrottlingRateLimit: 0.7, ThrottlingBurstLimit: 3 };
    const pages = { ThrottlingRateLimit: 2.2, ThrottlingBurstLimit: 8 };
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      DefaultRouteSettings: { ThrottlingRateLimit: 22.5, ThrottlingBurstLimit: 75 },
      RouteSettings: {
        'POST /v1/listings/{id}/cards': deposit,
        'DELETE /v1/listings/{id}/cards/{cardId}': deposit,
        'POST /v1/orders/{id}/reveal': reveal,
        'POST /v1/orders/{id}/reports': reveal,
        'POST /v1/orders/{id}/reveal-links': links,
        'POST /v1/listings/{id}/deposit-links': links,
        'GET /v1/links/{id}': links,
        'DELETE /v1/links/{id}': links,
        'GET /links/{token}': pages,
        'GET /links/assets/{file}': pages,
        'POST /links/{token}/reveal': reveal,
        'POST /links/{token}/report': reveal,
        'POST /links/{token}/cards': deposit,
      },
    });
  });

  it('names the API after its stack, so stages are told apart', () => {
    s.template.hasResourceProperties('AWS::ApiGatewayV2::Api', { Name: 'CardVault-prod-api' });
  });

  it('writes JSON access logs naming the route pattern, without the path, bodies or headers', () => {
    const [stage] = Object.values(s.template.findResources('AWS::ApiGatewayV2::Stage'));
    const format = JSON.parse(stage?.Properties.AccessLogSettings.Format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      routeKey: '$context.routeKey',
    });
    // $context.path is the raw path: a code pasted into a URL would be logged.
    expect(JSON.stringify(format)).not.toMatch(/\$context\.path|body|header|authorization/i);
  });
});

describe('operations', () => {
  const alarms = () => Object.values(s.template.findResources('AWS::CloudWatch::Alarm'));
  const topic = () => ref(s.stack.getLogicalId(s.stack.alarmTopic.topic.node.defaultChild as never));

  it('raises the alarms docs/operations.md explains', () => {
    const names = alarms().map((a) => String(a.Properties.AlarmName).replace('CardVault-prod-', ''));
    expect(names.sort()).toEqual(
      [
        'Api5xxRate',
        'ApiErrors',
        'DepositErrors',
        'RevealErrors',
        'ApiThrottles',
        'DepositThrottles',
        'RevealThrottles',
        'SweeperThrottles',
        'SweeperFailing',
        'SweeperStalled',
        'SweeperDeadLetters',
        'RecheckStalled',
        'RecheckDeadLetters',
        'WebhookDispatchDeadLetters',
        'KeyChangesDeadLetters',
        'KeyChangesFailedInvocations',
        'WebhookFanOutThrottles',
        'WebhookDispatcherThrottles',
        'TableSystemErrors',
        'TableThrottles',
        'WebhookDeliveriesFailed',
        'WebhookFanOutIteratorAge',
        'WebhookFanOutErrors',
        'WebhookDispatcherErrors',
        'WebhookFanOutFailures',
        'WebhookDispatcherStalled',
        // BusinessMonitoring's (test/infra/business-monitoring.test.ts).
        'RefundShare',
        'EscalationWaiting',
        'DepositsLocked',
      ].sort(),
    );
  });

  it('sends every alarm and its recovery to the topic', () => {
    for (const alarm of alarms()) {
      expect(alarm.Properties.AlarmActions).toEqual([topic()]);
      expect(alarm.Properties.OKActions).toEqual([topic()]);
    }
  });

  it('watches the 5xx rate, and treats a sweeper that stops running as an alarm', () => {
    const byName = (n: string) =>
      alarms().find((a) => a.Properties.AlarmName === `CardVault-prod-${n}`)?.Properties;
    expect(JSON.stringify(byName('Api5xxRate')?.Metrics)).toContain('100 * errors / requests');
    expect(byName('SweeperStalled')).toMatchObject({
      TreatMissingData: 'breaching',
      ComparisonOperator: 'LessThanThreshold',
    });
    expect(JSON.stringify(byName('TableSystemErrors')?.Metrics)).toContain('SystemErrors');
    // The reveal function's async events are the recheck schedule's alone (API Gateway invokes synchronously).
    expect(byName('RecheckStalled')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'AsyncEventsReceived',
      Dimensions: [{ Name: 'FunctionName', Value: ref(fnId('reveal')) }],
      TreatMissingData: 'breaching',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
    });
    for (const [title, name] of [
      ['WebhookFanOutThrottles', 'webhookFanOut'],
      ['WebhookDispatcherThrottles', 'webhookDispatcher'],
    ] as const) {
      const fn = s.stack.getLogicalId(s.stack.webhooks.all[name].fn.node.defaultChild as CfnFunction);
      expect(byName(title)).toMatchObject({
        MetricName: 'Throttles',
        Dimensions: [{ Name: 'FunctionName', Value: ref(fn) }],
        Threshold: 1,
      });
    }
    expect(byName('SweeperDeadLetters')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Statistic: 'Maximum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('encrypts the alarm topic and accepts only TLS publishers', () => {
    s.template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    s.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      }),
    });
  });

  it('outputs the API URL, table name, key ARNs and topic ARN', () => {
    expect(Object.keys(s.template.findOutputs('*')).sort()).toEqual(
      [
        'AlarmTopicArn',
        'ApiUrl',
        'CodeKeyArn',
        'EvidenceKeyArn',
        'FingerprintKeyArn',
        'TableName',
        'WebhookSecretKeyArn',
      ].sort(),
    );
  });
});

describe('webhook delivery', () => {
  const WEBHOOK_NAMES: WebhookFunctionName[] = ['webhookFanOut', 'webhookDispatcher'];
  const whId = (name: WebhookFunctionName) =>
    s.stack.getLogicalId(s.stack.webhooks.all[name].fn.node.defaultChild as CfnFunction);
  const whResource = (name: WebhookFunctionName) =>
    s.template.findResources('AWS::Lambda::Function')[whId(name)];
  const getAtt = (construct: { node: { defaultChild?: unknown } }, attribute: string) => ({
    'Fn::GetAtt': [s.stack.getLogicalId(construct.node.defaultChild as never), attribute],
  });
  const alarm = (n: string) =>
    Object.values(s.template.findResources('AWS::CloudWatch::Alarm')).find(
      (a) => a.Properties.AlarmName === `CardVault-prod-${n}`,
    )?.Properties;

  it('deploys both functions like the others: Node.js 24 on arm64, their memory and timeout, the table, stage and log level, and the dispatcher alone the webhook secret key', () => {
    const table = ref(s.stack.getLogicalId(s.stack.table.table.node.defaultChild as never));
    for (const name of WEBHOOK_NAMES) {
      expect(whResource(name)?.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: WEBHOOK_FUNCTION_SPECS[name].memoryMb,
        Timeout: WEBHOOK_FUNCTION_SPECS[name].timeoutSeconds,
        LoggingConfig: { LogFormat: 'JSON' },
      });
      expect(whResource(name)?.Properties.Environment.Variables).toEqual({
        [ENV.tableName]: table,
        [ENV.stage]: 'prod',
        [ENV.logLevel]: 'info',
        NODE_OPTIONS: '--enable-source-maps',
        ...(name === 'webhookDispatcher'
          ? { [ENV.webhookSecretKeyId]: getAtt(s.stack.keys.webhookSecretKey, 'Arn') }
          : {}),
      });
    }
    // The dispatcher's run (45 s of ticks) plus its drain (one attempt's 10 s deadline) fits.
    expect(WEBHOOK_FUNCTION_SPECS.webhookDispatcher.timeoutSeconds).toBeGreaterThan(45 + 10);
  });

  it('feeds the fan-out INSERTs of trail lines and penalties and card settlements from the table stream, in order, retried and then recorded', () => {
    s.template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    const mapping = Object.values(s.template.findResources('AWS::Lambda::EventSourceMapping'))[0]?.Properties;
    expect(mapping).toEqual({
      FunctionName: ref(whId('webhookFanOut')),
      EventSourceArn: getAtt(s.stack.table.table, 'StreamArn'),
      StartingPosition: 'LATEST',
      BatchSize: 100,
      ParallelizationFactor: 1,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 6 * 3600,
      FilterCriteria: {
        Filters: [
          {
            Pattern: JSON.stringify({
              eventName: ['INSERT'],
              dynamodb: { Keys: { sk: { S: [{ prefix: 'EVT#' }, { prefix: 'PEN#' }] } } },
            }),
          },
          {
            Pattern: JSON.stringify({
              eventName: ['MODIFY'],
              dynamodb: {
                Keys: { sk: { S: [{ prefix: 'CARD#' }] } },
                OldImage: { state: { S: ['pending_validation'] } },
                NewImage: { state: { S: ['available', 'void'] } },
              },
            }),
          },
        ],
      },
      DestinationConfig: { OnFailure: { Destination: getAtt(s.stack.webhooks.fanOutFailures, 'Arn') } },
      Tags: expect.any(Array),
    });
    // The filters' prefixes are the trail lines', penalties' and cards' sort keys.
    expect(keys.event('tnt_1', 'ord_1', 'evt_1').sk.startsWith('EVT#')).toBe(true);
    expect(keys.penalty('tnt_1', 'slr_1', 'ord_1#crd_1').sk.startsWith('PEN#')).toBe(true);
    expect(keys.card('tnt_1', 'lst_1', 'crd_1').sk.startsWith('CARD#')).toBe(true);
  });

  it('keeps the fan-out failure queue encrypted for 14 days, over TLS only', () => {
    const id = s.stack.getLogicalId(s.stack.webhooks.fanOutFailures.node.defaultChild as never);
    expect(s.template.findResources('AWS::SQS::Queue')[id]?.Properties).toEqual({
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
      Tags: expect.any(Array),
    });
    s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [ref(id)],
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      }),
    });
  });

  it('runs the dispatcher every minute like the sweeper, its failures in its own dead-letter queue', () => {
    const deadLetters = getAtt(s.stack.webhookDispatch.deadLetters, 'Arn');
    s.template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 minute)',
      State: 'ENABLED',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [whId('webhookDispatcher'), 'Arn'] },
        Input: Match.stringLikeRegexp('"source":"card-vault.webhook-dispatch"'),
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 },
        DeadLetterConfig: { Arn: deadLetters },
      }),
    });
    s.template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: ref(whId('webhookDispatcher')),
      MaximumRetryAttempts: 0,
      MaximumEventAgeInSeconds: 60,
      DestinationConfig: { OnFailure: { Destination: deadLetters } },
    });
  });

  it("alarms on failed deliveries from the EMF count, the stream lag, both functions' errors and the failure queue", () => {
    expect(alarm('WebhookDeliveriesFailed')).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      MetricName: 'WebhookDeliveries',
      Dimensions: expect.arrayContaining([
        { Name: 'Stage', Value: 'prod' },
        { Name: 'Outcome', Value: 'failed' },
      ]),
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(alarm('WebhookDeliveriesFailed')?.Dimensions).toHaveLength(2);
    expect(alarm('WebhookFanOutIteratorAge')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'IteratorAge',
      Dimensions: [{ Name: 'FunctionName', Value: ref(whId('webhookFanOut')) }],
      Statistic: 'Maximum',
      Threshold: 300_000,
    });
    for (const [title, name] of [
      ['WebhookFanOutErrors', 'webhookFanOut'],
      ['WebhookDispatcherErrors', 'webhookDispatcher'],
    ] as const) {
      expect(alarm(title)).toMatchObject({
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: ref(whId(name)) }],
        Threshold: 3,
      });
    }
    expect(alarm('WebhookDispatcherStalled')).toMatchObject({
      MetricName: 'Invocations',
      Dimensions: [{ Name: 'FunctionName', Value: ref(whId('webhookDispatcher')) }],
      TreatMissingData: 'breaching',
      ComparisonOperator: 'LessThanThreshold',
    });
    expect(alarm('WebhookFanOutFailures')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: getAtt(s.stack.webhooks.fanOutFailures, 'QueueName') }],
      Statistic: 'Maximum',
      Threshold: 1,
    });
  });
});
