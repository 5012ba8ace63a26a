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

  constructor(scope: Construct, id: string, props: { readonly stage: string; readonly email?: string }) {
    super(scope, id);
    const stack = Stack.of(this);
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
   * Lets the EventBridge rule named `ruleName` publish: the topic and its key each name it. By
   * name, not by the rule's ARN attribute: the key policy would then depend on the rule, whose
   * target depends on the topic, which depends on the key.
   */
  allowPublishFromRule(ruleName: string, sid: string): void {
    const stack = Stack.of(this);
    const events = new ServicePrincipal('events.amazonaws.com');
    const ruleArn = stack.formatArn({ service: 'events', resource: 'rule', resourceName: ruleName });
    const onlyThisRule = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnEquals: { 'aws:SourceArn': ruleArn },
    };
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid,
        principals: [events],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: onlyThisRule,
      }),
    );
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid,
        principals: [events],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: onlyThisRule,
      }),
    );
  }
}

/** Alarm names start with the stack name, so the topic's policies can name them all. */
export function alarmName(stack: Stack, id: string): string {
  return `${stack.stackName}-${id}`;
}
