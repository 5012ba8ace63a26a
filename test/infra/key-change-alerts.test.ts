import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Statement, type Synthesized, synth } from './synth.js';

let s: Synthesized;
beforeAll(() => {
  s = synth('prod', 'stub');
});
afterAll(() => s.cleanup());

const logicalId = (construct: { node: { defaultChild?: unknown } }) =>
  s.stack.getLogicalId(construct.node.defaultChild as never);
const ruleArnOf = (name: string) => ({
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':events:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      `:rule/${name}`,
    ],
  ],
});

describe('key change alerts', () => {
  const ruleName = 'CardVault-prod-KeyChanges';

  it('match CloudTrail calls that loosen or end any vault key (webhook secrets and link keys included), by the key ARNs in the event', () => {
    const keyArn = (key: 'codeKey' | 'fingerprintKey' | 'evidenceKey' | 'webhookSecretKey' | 'linkKey') => ({
      'Fn::GetAtt': [logicalId(s.stack.keys[key]), 'Arn'],
    });
    s.template.hasResourceProperties('AWS::Events::Rule', {
      Name: ruleName,
      State: 'ENABLED',
      EventPattern: {
        source: ['aws.kms'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['kms.amazonaws.com'],
          eventName: Match.arrayEquals([
            'PutKeyPolicy',
            'CreateGrant',
            'DisableKey',
            'ScheduleKeyDeletion',
            'DisableKeyRotation',
          ]),
          resources: {
            ARN: [
              keyArn('codeKey'),
              keyArn('fingerprintKey'),
              keyArn('evidenceKey'),
              keyArn('webhookSecretKey'),
              keyArn('linkKey'),
            ],
          },
        },
      },
    });
  });

  it('notify the alarm topic', () => {
    s.template.hasResourceProperties('AWS::Events::Rule', {
      Name: ruleName,
      Targets: [Match.objectLike({ Arn: { Ref: logicalId(s.stack.alarmTopic.topic) } })],
    });
  });

  it('let EventBridge publish to the topic only for this rule, and use its key only for this topic (no unsupported aws:Source* condition)', () => {
    const topicPolicy = Object.values(s.template.findResources('AWS::SNS::TopicPolicy'))[0];
    const keyPolicy =
      s.template.findResources('AWS::KMS::Key')[logicalId(s.stack.alarmTopic.key)]?.Properties.KeyPolicy;
    const byEvents = (statements: Statement[]) =>
      statements.filter((st) => JSON.stringify(st.Principal).includes('events.amazonaws.com'));
    // EventBridge sets aws:SourceArn and aws:SourceAccount on its sns:Publish: the topic policy names the rule.
    expect(byEvents(topicPolicy?.Properties.PolicyDocument.Statement)).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: 'sns:Publish',
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
          ArnEquals: { 'aws:SourceArn': ruleArnOf(ruleName) },
        },
      }),
    ]);
    // The KMS calls are SNS's: AWS does not support aws:SourceArn / aws:SourceAccount there for an
    // EventBridge publish (it fails as a FailedInvocation). SNS's encryption context bounds it instead.
    const topicArn = {
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':sns:',
          { Ref: 'AWS::Region' },
          ':',
          { Ref: 'AWS::AccountId' },
          ':CardVault-prod-alarms',
        ],
      ],
    };
    expect(byEvents(keyPolicy.Statement)).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Condition: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': topicArn } },
      }),
    ]);
    expect(JSON.stringify(byEvents(keyPolicy.Statement))).not.toMatch(/aws:Source/);
    // The context names the topic the key encrypts.
    s.template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'CardVault-prod-alarms',
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalId(s.stack.alarmTopic.key), 'Arn'] },
    });
  });

  it('put an event the topic refused in a dead-letter queue only this rule may write, after an hour of retries', () => {
    const queue = logicalId(s.stack.keyChanges.deadLetters);
    s.template.hasResourceProperties('AWS::Events::Rule', {
      Name: ruleName,
      Targets: [
        Match.objectLike({
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [queue, 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 3600 },
        }),
      ],
    });
    s.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queue }],
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sqs:SendMessage',
            Condition: {
              ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [logicalId(s.stack.keyChanges.rule), 'Arn'] } },
            },
          }),
        ]),
      }),
    });
  });

  it("alarm on the rule's failed invocations and on its dead-letter queue", () => {
    const alarms = Object.values(s.template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties);
    expect(alarms).toContainEqual(
      expect.objectContaining({
        AlarmName: 'CardVault-prod-KeyChangesFailedInvocations',
        Namespace: 'AWS/Events',
        MetricName: 'FailedInvocations',
        Dimensions: [{ Name: 'RuleName', Value: { Ref: logicalId(s.stack.keyChanges.rule) } }],
        Statistic: 'Sum',
        Threshold: 1,
      }),
    );
    expect(alarms).toContainEqual(
      expect.objectContaining({
        AlarmName: 'CardVault-prod-KeyChangesDeadLetters',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [
          {
            Name: 'QueueName',
            Value: { 'Fn::GetAtt': [logicalId(s.stack.keyChanges.deadLetters), 'QueueName'] },
          },
        ],
      }),
    );
  });
});
