import { Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { tableDefinition } from '../../shared/adapters/dynamodb/table-definition.js';
import { ENV } from '../../shared/config/env-names.js';
import { type PartitionGrant, WEBHOOK_FUNCTION_SPECS, type WebhookFunctionName } from '../function-specs.js';
import type { StageConfig } from '../stage-config.js';
import { deadLetterQueue } from './dead-letter-queue.js';
import { type CodeSource, VaultFunction } from './vault-function.js';
import type { VaultTable } from './vault-table.js';

/**
 * The stream mapping's filters (Lambda event filtering; a record passes if any matches): INSERTs
 * of trail lines and of penalties (`seller.penalised`), and the MODIFY that settles a pending
 * card (`card.deposit_settled`). Exported so a test can apply them to records read from DynamoDB
 * Local's stream.
 */
export const WEBHOOK_STREAM_FILTERS = [
  {
    eventName: FilterRule.isEqual('INSERT') as string[],
    dynamodb: { Keys: { sk: { S: [...FilterRule.beginsWith('EVT#'), ...FilterRule.beginsWith('PEN#')] } } },
  },
  {
    eventName: FilterRule.isEqual('MODIFY') as string[],
    dynamodb: {
      Keys: { sk: { S: FilterRule.beginsWith('CARD#') } },
      OldImage: { state: { S: FilterRule.isEqual('pending_validation') as string[] } },
      NewImage: { state: { S: FilterRule.or('available', 'void') as string[] } },
    },
  },
];

/** The key attributes: a request names them whatever it reads or writes. */
const KEY_ATTRIBUTES = [tableDefinition.partitionKey, tableDefinition.sortKey];

/**
 * A grant limited to some attributes (IAM's documented pattern for DynamoDB): every attribute the
 * request names is one of them; a read must project them (`Select` SPECIFIC_ATTRIBUTES: without a
 * projection a Query names no attribute and would return every one); an update may return only
 * what it wrote (ALL_OLD or ALL_NEW would return the rest of the item).
 */
function attributeConditions(grant: PartitionGrant) {
  const reads = grant.actions.some((a) => a === 'GetItem' || a === 'Query');
  const writes = grant.actions.some((a) => a !== 'GetItem' && a !== 'Query');
  if (reads && writes) throw new Error(`${grant.sid}: an attribute-limited grant either reads or writes`);
  return {
    'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...KEY_ATTRIBUTES, ...(grant.attributes ?? [])] },
    ...(reads
      ? { StringEquals: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES' } }
      : { StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE', 'UPDATED_OLD', 'UPDATED_NEW'] } }),
  };
}

export interface WebhookFunctionsProps {
  readonly config: StageConfig;
  readonly code: CodeSource;
  readonly table: VaultTable;
  /** The key the dispatcher opens signing secrets with (kms:Decrypt granted by VaultKeys). */
  readonly webhookSecretKeyArn: string;
}

/**
 * The webhook delivery path (docs/design.md "Webhooks", "Delivery"): the fan-out reads the
 * table's stream, the dispatcher is scheduled by the stack (SweeperSchedule). Each has its own
 * role whose every DynamoDB grant names its partitions (function-specs.ts). Of KMS, the
 * dispatcher alone gets kms:Decrypt on the webhook secret key (VaultKeys); the fan-out none.
 */
export class WebhookFunctions extends Construct {
  readonly fanOut: VaultFunction;
  readonly dispatcher: VaultFunction;
  /**
   * Where a stream batch the fan-out could not take after its retries is recorded (shard and
   * sequence numbers, no item): alarmed, read by an operator, replayable from the stream for 24 h.
   */
  readonly fanOutFailures: Queue;

  constructor(scope: Construct, id: string, props: WebhookFunctionsProps) {
    super(scope, id);
    const { config, table } = props;
    const environment: Record<string, string> = {
      [ENV.tableName]: table.table.tableName,
      [ENV.stage]: config.stage,
      [ENV.logLevel]: config.logLevel,
      // Webhook timings are the runtime's defaults too (shared/domain/webhook-settings.ts).
    };
    const make = (name: WebhookFunctionName, fnId: string, more: Record<string, string> = {}) => {
      const spec = WEBHOOK_FUNCTION_SPECS[name];
      const fn = new VaultFunction(this, fnId, {
        spec,
        config,
        code: props.code,
        environment: { ...environment, ...more },
      });
      for (const grant of spec.grants) {
        fn.role.addToPrincipalPolicy(
          new PolicyStatement({
            sid: grant.sid,
            actions: grant.actions.map((action) => `dynamodb:${action}`),
            resources:
              grant.index === undefined ? [table.table.tableArn] : table.arnsFor([grant.index]).slice(1),
            conditions: {
              'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...grant.partitions] },
              ...(grant.attributes === undefined ? {} : attributeConditions(grant)),
            },
          }),
        );
      }
      return fn;
    };
    this.fanOut = make('webhookFanOut', 'WebhookFanOut');
    this.dispatcher = make('webhookDispatcher', 'WebhookDispatcher', {
      [ENV.webhookSecretKeyId]: props.webhookSecretKeyArn,
    });

    this.fanOutFailures = deadLetterQueue(this, 'FanOutFailures');
    this.fanOut.fn.addEventSource(
      new DynamoEventSource(table.table, {
        // Endpoints registered before this deploy hear of what happens from now on, as `npm start` does.
        startingPosition: StartingPosition.LATEST,
        // Only published changes wake the function: every other write (orders, cards, deliveries)
        // is dropped by Lambda before an invocation. trailLinesOf checks the same again.
        filters: WEBHOOK_STREAM_FILTERS.map((f) => FilterCriteria.filter(f)),
        batchSize: 100,
        // One batch per shard at a time: lines of one order stay in stream order.
        parallelizationFactor: 1,
        // Only a storage error (or a queue that kept changing) throws, and the conditional puts
        // make a retried batch write nothing twice. Halving isolates a batch that keeps failing;
        // no partial-batch report: lines of a subject are enqueued in order and a report would
        // have to name the earliest unfinished record of every subject.
        bisectBatchOnError: true,
        retryAttempts: 10,
        // A shard is blocked while its batch is retried: after 6 h the batch is recorded in the
        // failure queue and the shard moves on (the stream keeps records 24 h for a replay).
        maxRecordAge: Duration.hours(6),
        reportBatchItemFailures: false,
        onFailure: new SqsDlq(this.fanOutFailures),
      }),
    );
  }

  get all(): Record<WebhookFunctionName, VaultFunction> {
    return { webhookFanOut: this.fanOut, webhookDispatcher: this.dispatcher };
  }
}
