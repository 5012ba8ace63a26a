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

  it('match CloudTrail calls that loosen or end the code or fingerprint key, by the key ARNs in the event', () => {
    const keyArn = (key: 'codeKey' | 'fingerprintKey') => ({
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
          resources: { ARN: [keyArn('codeKey'), keyArn('fingerprintKey')] },
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

  it('let EventBridge publish to the topic and use its key only for this rule', () => {
    const onlyThisRule = {
      StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
      ArnEquals: { 'aws:SourceArn': ruleArnOf(ruleName) },
    };
    const [topicPolicy] = Object.values(s.template.findResources('AWS::SNS::TopicPolicy'));
    const keyPolicy =
      s.template.findResources('AWS::KMS::Key')[logicalId(s.stack.alarmTopic.key)]?.Properties.KeyPolicy;
    const byEvents = (statements: Statement[]) =>
      statements.filter((st) => JSON.stringify(st.Principal).includes('events.amazonaws.com'));
    expect(byEvents(topicPolicy?.Properties.PolicyDocument.Statement)).toEqual([
      expect.objectContaining({ Effect: 'Allow', Action: 'sns:Publish', Condition: onlyThisRule }),
    ]);
    expect(byEvents(keyPolicy.Statement)).toEqual([
      expect.objectContaining({
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        Condition: onlyThisRule,
      }),
    ]);
  });
});
