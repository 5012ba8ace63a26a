import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mapDynamoOutages } from './dynamodb-error-mapping.js';

export interface DynamoClientsOptions {
  /** Set for DynamoDB Local (or any non-AWS endpoint); unset in AWS. */
  endpoint?: string;
  region?: string;
}

export interface DynamoClients {
  client: DynamoDBClient;
  doc: DynamoDBDocumentClient;
}

/** DynamoDB Local ignores credentials and region (and with -sharedDb they do not pick the db file). */
const LOCAL_REGION = 'us-east-1';
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/**
 * The low-level client (table admin, transactions with raw attribute values) and the document client over it.
 * Against a local endpoint no AWS config, profile or environment credentials are needed.
 */
export function createDynamoClients({ endpoint, region }: DynamoClientsOptions = {}): DynamoClients {
  const client = new DynamoDBClient({
    // The SDK default, made explicit so AWS_MAX_ATTEMPTS in a shell cannot change test timing; throttling
    // and 5xx are retried, while conditional-check and transaction-cancelled failures never are.
    maxAttempts: 3,
    // Without timeouts a dead endpoint hangs a Lambda until its own timeout.
    requestHandler: { connectionTimeout: 2_000, requestTimeout: 10_000 },
    ...(endpoint
      ? { endpoint, region: region ?? LOCAL_REGION, credentials: LOCAL_CREDENTIALS }
      : region
        ? { region }
        : {}),
  });
  mapDynamoOutages(client);
  const doc = DynamoDBDocumentClient.from(client, {
    // undefined optional fields are dropped rather than rejected; '' stays '' (never silently null).
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
  return { client, doc };
}
