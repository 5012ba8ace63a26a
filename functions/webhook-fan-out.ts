import type { DynamoDBStreamEvent } from 'aws-lambda';
import { trailLinesOf } from '../shared/adapters/dynamodb/stream-trail-lines.js';
import { loadLambdaConfig, loadWebhookSettings } from '../shared/config/config.js';
import { type FanOutResult, WebhookFanOut } from '../shared/services/webhook-fan-out.js';
import { flushingMetrics } from './support/flush-metrics.js';
import { webhookAdapters } from './support/webhook-adapters.js';

/**
 * The table's stream -> delivery items. A throw (a storage error only) makes Lambda hand the
 * batch again; the conditional puts make that write nothing twice. Deployed by infra/constructs/webhook-functions.ts.
 */
const { deps, metrics } = webhookAdapters(loadLambdaConfig(), loadWebhookSettings());
const fanOut = new WebhookFanOut(deps);

export const handler = flushingMetrics(metrics, fan);

async function fan(event: Pick<DynamoDBStreamEvent, 'Records'>): Promise<FanOutResult> {
  const { lines, malformed } = trailLinesOf(event.Records);
  if (malformed > 0) deps.logger.error({ malformed }, 'malformed trail lines on the stream');
  const result = await fanOut.handle(lines);
  deps.logger.info({ records: event.Records.length, ...result }, 'webhook fan-out');
  return result;
}
