import { Duration } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * A queue that only records what could not be delivered (a schedule's run, a rule's event, a
 * stream batch): SQS-encrypted, TLS only, kept 14 days. Nothing consumes it: VaultAlarms raises
 * an alarm on its first message and an operator reads it (docs/operations.md "Alarms").
 */
export function deadLetterQueue(scope: Construct, id: string): Queue {
  return new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
}
