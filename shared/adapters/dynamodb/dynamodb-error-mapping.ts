import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DependencyUnavailableError } from '../../domain/errors.js';

/** DynamoDB's answers that mean "not now" rather than "not this request". */
const THROTTLED = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
]);

/** Socket-level failures: nothing answered, so nothing about the request was wrong. */
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

interface SdkError extends Error {
  readonly code?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/**
 * Whether a DynamoDB call failed because DynamoDB could not be reached or could not serve it
 * (connection refused or reset, timeouts, 5xx, throttling the SDK's retries did not outlast).
 */
export function isDynamoUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const e = error as SdkError;
  if (THROTTLED.has(e.name) || e.name === 'TimeoutError' || e.name === 'TimeoutException') return true;
  if (e.code !== undefined && NETWORK.has(e.code)) return true;
  if (error instanceof AggregateError && error.errors.some(isDynamoUnavailable)) return true;
  const status = e.$metadata?.httpStatusCode;
  return status !== undefined && status >= 500;
}

/**
 * Turns an outage into `DependencyUnavailableError` (the SDK's error kept as `cause`) for every
 * command the client sends, document-client commands included. Added at the outermost step,
 * so it sees the error only once the SDK's own retries are spent. Conditional-check and
 * transaction-cancelled failures pass through untouched: they are answers, not outages.
 */
export function mapDynamoOutages(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        if (!isDynamoUnavailable(error)) throw error;
        throw new DependencyUnavailableError(
          `DynamoDB ${String(context.commandName)} failed (${(error as Error).name})`,
          { dependency: 'dynamodb' },
          { cause: error },
        );
      }
    },
    { step: 'initialize', name: 'mapDynamoOutages', priority: 'high' },
  );
}
