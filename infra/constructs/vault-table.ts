import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { tableDefinition } from '../../shared/adapters/dynamodb/table-definition.js';

/**
 * The one table, declared from the same definition the local stack creates with CreateTable.
 *
 * Retained and deletion-protected in every stage, dev included: it holds sealed codes whose key
 * is retained too, and `cdk destroy` keeping the table is the cheap mistake, losing it the
 * expensive one. Without a fixed name a redeploy after a destroy gets a fresh table instead of
 * colliding with the retained one (docs/deploy.md "What `cdk destroy` keeps" shows how to delete it on purpose).
 */
export class VaultTable extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const key = (name: string) => ({ name, type: AttributeType.STRING });
    this.table = new Table(this, 'Table', {
      partitionKey: key(tableDefinition.partitionKey),
      sortKey: key(tableDefinition.sortKey),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      timeToLiveAttribute: tableDefinition.ttlAttribute,
      // The webhook fan-out reads it (WebhookFunctions); enabling a stream later would not replay older changes.
      stream: StreamViewType.NEW_AND_OLD_IMAGES,
    });
    for (const index of tableDefinition.globalSecondaryIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: key(index.partitionKey),
        sortKey: key(index.sortKey),
      });
    }
  }

  /** The table's ARN and the named indexes' ARNs: IAM statements list them instead of `index/*`. */
  arnsFor(indexes: readonly string[]): string[] {
    const stack = Stack.of(this);
    return [
      this.table.tableArn,
      ...indexes.map((indexName) =>
        stack.formatArn({
          service: 'dynamodb',
          resource: 'table',
          resourceName: `${this.table.tableName}/index/${indexName}`,
        }),
      ),
    ];
  }
}
