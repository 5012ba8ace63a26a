import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export interface NagTargets {
  /** The HTTP API (APIG4: authorization). */
  readonly httpApi: IConstruct;
  /** The schedules' and the key-change rule's dead-letter queues (SQS3: a queue without a DLQ of its own). */
  readonly deadLetterQueues: readonly IConstruct[];
  /** The webhook fan-out's on-failure destination (SQS3 likewise). */
  readonly webhookFanOutFailures: IConstruct;
  /** The webhook fan-out role's policy (IAM5: `dynamodb:ListStreams` on `*`, from the stream grant). */
  readonly webhookFanOutPolicy: IConstruct;
  /** The deposit, reveal and sweeper roles' policies (IAM5: issuer secrets by name prefix). */
  readonly issuerSecretReaders: readonly IConstruct[];
}

/**
 * Every cdk-nag finding we accept, with its reason, on the narrowest construct that causes it.
 * docs/deploy.md "cdk-nag" lists them too.
 */
export function applyNagSuppressions(targets: NagTargets): void {
  Validations.of(targets.httpApi).acknowledge({
    id: 'AwsSolutions-APIG4',
    reason:
      'Authorization is the application: every /v1 route requires a tenant API key (Bearer), stored as ' +
      'a SHA-256 hash and compared in constant time, and scopes every item to that tenant (docs/design.md). ' +
      'An API Gateway authorizer would duplicate that lookup on every request. /health and ' +
      '/openapi.json are public by design, and so are the hosted pages under /links/{token}: the ' +
      'unguessable token (256 bits, stored hashed, expiring, revocable) is their credential, and ' +
      'their POSTs also carry the per-page nonce.',
  });
  for (const queue of targets.deadLetterQueues) {
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: of a schedule and its async invocations, or of the ' +
        'key-change rule target (cdk-nag recognises only SQS redrive policies). Nothing consumes it: an ' +
        'alarm fires on its first message and an operator reads it, so there is no consumer to redrive from.',
    });
  }
  Validations.of(targets.webhookFanOutPolicy).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'dynamodb:ListStreams has no resource type in IAM (it lists stream ARNs, reads no record) and Lambda ' +
      'needs it for a DynamoDB stream event source; DescribeStream, GetShardIterator and GetRecords are ' +
      "granted on the vault table's stream ARN only (Table.grantStreamRead).",
  });
  for (const policy of targets.issuerSecretReaders) {
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:card-vault/issuers/*]',
      reason:
        'Issuer secrets are created by operators per brand, after the deploy, and Secrets Manager appends ' +
        'six random characters to every secret ARN: the grant is GetSecretValue only, on the ' +
        'card-vault/issuers/ name prefix only, for the three functions that check codes with an issuer.',
    });
  }
  Validations.of(targets.webhookFanOutFailures).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason:
      'This queue is itself the on-failure destination of the webhook fan-out stream mapping: it records ' +
      'the shard and sequence numbers of a batch given up. Nothing consumes it: an alarm fires on its ' +
      'first message and an operator replays the range from the stream, so there is nothing to redrive.',
  });
}
