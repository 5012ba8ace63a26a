import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/**
 * The SNS topic every alarm notifies, encrypted with its own key: the AWS-managed SNS key's
 * policy cannot be changed to let CloudWatch publish, so alarms could not reach the topic.
 */
export class AlarmTopic extends Construct {
  readonly topic: Topic;
  readonly key: Key;
  /** `<stack>-alarms`: SNS topic names are per account and region, as the stack's name is. */
  readonly topicName: string;
  /** The topic's ARN built from its name (no reference to the topic resource). */
  readonly topicArnByName: string;

  constructor(scope: Construct, id: string, props: { readonly stage: string; readonly email?: string }) {
    super(scope, id);
    const stack = Stack.of(this);
    this.topicName = `${stack.stackName}-alarms`;
    this.topicArnByName = stack.formatArn({ service: 'sns', resource: this.topicName });
    const cloudwatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    // Confused-deputy guard: CloudWatch acts only for this stack's alarms (see alarmName()).
    const onlyOurAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: {
        'aws:SourceArn': stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: alarmName(stack, '*'),
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };
    this.key = new Key(this, 'Key', {
      description: `card-vault ${props.stage}: encrypts the alarm topic`,
      enableKeyRotation: true,
      // Protects only alarm messages in flight: nothing outlives the stack that needs it.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [cloudwatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: onlyOurAlarms,
      }),
    );
    this.topic = new Topic(this, 'Topic', {
      // Named, so the key policy can name the topic without depending on it (the topic depends on the key).
      topicName: this.topicName,
      displayName: `card-vault ${props.stage} alarms`,
      masterKey: this.key,
      enforceSSL: true,
    });
    // A topic policy replaces the default one, so CloudWatch is allowed explicitly.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [cloudwatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: onlyOurAlarms,
      }),
    );
    if (props.email !== undefined) this.topic.addSubscription(new EmailSubscription(props.email));
  }

  /**
   * Lets the EventBridge rule named `ruleName` publish.
   *
   * The topic policy names the rule (`aws:SourceArn`, `aws:SourceAccount`: EventBridge sets them
   * on its `sns:Publish`). The key policy cannot: the KMS calls are SNS's, made for the
   * publisher, and AWS does not support those conditions for EventBridge publishing to an
   * encrypted topic (the publish fails as a `FailedInvocation`). The key statement is bounded
   * instead by SNS's encryption context, `aws:sns:topicArn` = this topic: EventBridge can use the
   * key for this topic's messages and nothing else. By name, not by the rule's or topic's ARN
   * attributes: the key policy would then depend on resources that depend on the key.
   */
  allowPublishFromRule(ruleName: string, sid: string): void {
    const stack = Stack.of(this);
    const events = new ServicePrincipal('events.amazonaws.com');
    const ruleArn = stack.formatArn({ service: 'events', resource: 'rule', resourceName: ruleName });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid,
        principals: [events],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { [SNS_TOPIC_CONTEXT]: this.topicArnByName } },
      }),
    );
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid,
        principals: [events],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnEquals: { 'aws:SourceArn': ruleArn },
        },
      }),
    );
  }
}

/** The encryption context SNS sends KMS for a topic's messages (SNS developer guide, "Key management"). */
export const SNS_TOPIC_CONTEXT = 'kms:EncryptionContext:aws:sns:topicArn';

/** Alarm names start with the stack name, so the topic's policies can name them all. */
export function alarmName(stack: Stack, id: string): string {
  return `${stack.stackName}-${id}`;
}
