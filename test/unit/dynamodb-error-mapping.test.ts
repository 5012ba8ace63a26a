import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { isDynamoUnavailable } from '../../shared/adapters/dynamodb/dynamodb-error-mapping.js';

const sdkError = (name: string, httpStatusCode: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode } });
const socketError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:8000`), { code });

describe('isDynamoUnavailable', () => {
  it.each([
    ['a refused connection', socketError('ECONNREFUSED')],
    ['a reset connection', socketError('ECONNRESET')],
    ['a DNS failure', socketError('ENOTFOUND')],
    ['every address refusing', new AggregateError([socketError('ECONNREFUSED')])],
    ['a connection or request timeout', Object.assign(new Error('timed out'), { name: 'TimeoutError' })],
    ['throttling past the retries', sdkError('ThrottlingException', 400)],
    ['exceeded provisioned throughput', sdkError('ProvisionedThroughputExceededException', 400)],
    ['an internal server error', sdkError('InternalServerError', 500)],
    ['a 503', sdkError('ServiceUnavailable', 503)],
  ])('counts %s as an outage', (_, error) => {
    expect(isDynamoUnavailable(error)).toBe(true);
  });

  it.each([
    [
      'a failed condition',
      new ConditionalCheckFailedException({ message: 'failed', $metadata: { httpStatusCode: 400 } }),
    ],
    [
      'a cancelled transaction',
      new TransactionCanceledException({ message: 'cancelled', $metadata: { httpStatusCode: 400 } }),
    ],
    ['a validation error', sdkError('ValidationException', 400)],
    ['a missing table', sdkError('ResourceNotFoundException', 400)],
    ['a bug', new TypeError('x is undefined')],
  ])('leaves %s alone', (_, error) => {
    expect(isDynamoUnavailable(error)).toBe(false);
  });
});
