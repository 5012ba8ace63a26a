import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** What every DynamoDB store needs: the document client and the table name (from config). */
export interface TableContext {
  readonly doc: DynamoDBDocumentClient;
  readonly tableName: string;
}
