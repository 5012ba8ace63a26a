import { Duration, Stack } from 'aws-cdk-lib';
import { type IRuleTarget, Rule } from 'aws-cdk-lib/aws-events';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AlarmTopic } from './alarm-topic.js';
import { deadLetterQueue } from './dead-letter-queue.js';

/**
 * Calls that loosen or end a key's protection. The root statement of each key policy is
 * `kms:*` (CloudFormation must be able to manage the key), so an account administrator can
 * rewrite the denies and then decrypt: this cannot stop that, only make it loud.
 */
export const WATCHED_KEY_CALLS = [
  'PutKeyPolicy',
  'CreateGrant',
  'DisableKey',
  'ScheduleKeyDeletion',
  'DisableKeyRotation',
] as const;

/**
 * Notifies the alarm topic when one of {@link WATCHED_KEY_CALLS} names one of the vault's keys
 * (code, fingerprint, evidence, webhook secrets). It matches on the event's `resources[].ARN`, which CloudTrail fills with
 * the key's ARN whatever the caller passed as keyId (an id, an ARN or an alias).
 *
 * These events reach EventBridge from CloudTrail, and AWS documents that "AWS API Call via
 * CloudTrail" events need a trail with logging enabled in the account and region: the 90-day
 * event history alone is not enough. This stack creates no trail (most accounts have an
 * account or organization trail, and a second one costs money); docs/deploy.md "Prerequisites" says so.
 */
export class KeyChangeAlerts extends Construct {
  readonly rule: Rule;
  /**
   * Where EventBridge puts an event it could not publish to the topic after its retries (a
   * topic or key policy that refuses it, a deleted topic): alarmed like every dead-letter queue,
   * and the rule's FailedInvocations are alarmed too (VaultAlarms), so a lost alert is itself loud.
   */
  readonly deadLetters: Queue;

  constructor(
    scope: Construct,
    id: string,
    props: { readonly keys: readonly IKey[]; readonly alarms: AlarmTopic; readonly stage: string },
  ) {
    super(scope, id);
    const ruleName = `${Stack.of(this).stackName}-KeyChanges`;
    this.rule = new Rule(this, 'Rule', {
      ruleName,
      description: `card-vault ${props.stage}: a vault key's policy, grants or state changed (code, fingerprint, evidence, webhook secrets)`,
      eventPattern: {
        source: ['aws.kms'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: {
          eventSource: ['kms.amazonaws.com'],
          eventName: [...WATCHED_KEY_CALLS],
          resources: { ARN: props.keys.map((key) => key.keyArn) },
        },
      },
    });
    props.alarms.allowPublishFromRule(ruleName, 'KeyChangeRulePublishes');
    this.deadLetters = deadLetterQueue(this, 'DeadLetters');
    this.deadLetters.addToResourcePolicy(
      new PolicyStatement({
        sid: 'KeyChangeRuleDeadLetters',
        principals: [new ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.deadLetters.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': this.rule.ruleArn } },
      }),
    );
    // Not the SnsTopic target: it grants EventBridge the topic and its key for every rule.
    const target: IRuleTarget = {
      bind: () => ({
        arn: props.alarms.topic.topicArn,
        deadLetterConfig: { arn: this.deadLetters.queueArn },
        // EventBridge's defaults (185 retries over 24 h) would hold a failing alert for a day.
        retryPolicy: { maximumRetryAttempts: 8, maximumEventAgeInSeconds: Duration.hours(1).toSeconds() },
      }),
    };
    this.rule.addTarget(target);
  }
}
