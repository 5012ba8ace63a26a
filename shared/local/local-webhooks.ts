import type { DynamoClients } from '../adapters/dynamodb/dynamodb-clients.js';
import { DynamoStreamPoller } from '../adapters/dynamodb/dynamodb-stream-poller.js';
import { DynamoWebhookDeliveryStore } from '../adapters/dynamodb/dynamodb-webhook-delivery-store.js';
import { DynamoWebhookEndpointStore } from '../adapters/dynamodb/dynamodb-webhook-endpoint-store.js';
import { trailLinesOf } from '../adapters/dynamodb/stream-trail-lines.js';
import { WebhookSender } from '../adapters/webhook-http/webhook-sender.js';
import type { WebhookSettings } from '../domain/webhook-settings.js';
import type { Clock } from '../ports/clock.js';
import type { Logger } from '../ports/logger.js';
import type { Metrics } from '../ports/metrics.js';
import type { WebhookSecretOpener } from '../ports/webhook-secret-cipher.js';
import type { WebhookDeps } from '../services/webhook-deps.js';
import { WebhookDispatcher } from '../services/webhook-dispatcher.js';
import { WebhookFanOut } from '../services/webhook-fan-out.js';

export interface LocalWebhooks {
  readonly fanOut: WebhookFanOut;
  readonly dispatcher: WebhookDispatcher;
  stop(): Promise<void>;
}

/**
 * The same fan-out and dispatcher as the two Lambda functions, fed by polling DynamoDB Local's
 * stream, with the dispatcher ticking every `intervalMs`. Endpoints may be `http://127.0.0.1`.
 */
export async function startLocalWebhooks(options: {
  client: DynamoClients['client'];
  doc: DynamoClients['doc'];
  endpoint: string;
  tableName: string;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  settings: WebhookSettings;
  intervalMs: number;
  secrets: WebhookSecretOpener;
}): Promise<LocalWebhooks> {
  const ctx = { doc: options.doc, tableName: options.tableName };
  const deps: WebhookDeps = {
    endpoints: new DynamoWebhookEndpointStore(ctx),
    deliveries: new DynamoWebhookDeliveryStore(ctx),
    clock: options.clock,
    logger: options.logger,
    metrics: options.metrics,
    settings: options.settings,
  };
  const fanOut = new WebhookFanOut(deps);
  const dispatcher = new WebhookDispatcher({
    ...deps,
    transport: new WebhookSender({ mode: 'local', timeoutMs: options.settings.timeoutMs }),
    secrets: options.secrets,
  });
  const poller = new DynamoStreamPoller({
    client: options.client,
    endpoint: options.endpoint,
    tableName: options.tableName,
    intervalMs: Math.min(options.intervalMs, 250),
    onRecords: async (records) => {
      const { lines, malformed } = trailLinesOf(records);
      if (malformed > 0) options.logger.error({ malformed }, 'malformed trail lines on the stream');
      const result = await fanOut.handle(lines);
      if (result.queued + result.duplicates > 0) options.logger.debug({ ...result }, 'webhook fan-out');
    },
    onError: (error) =>
      options.logger.error(
        { err: error instanceof Error ? error.name : typeof error },
        'webhook fan-out failed',
      ),
  });
  await poller.start();
  let ticking: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    ticking = dispatcher
      .tick()
      .catch((error: unknown) =>
        options.logger.error(
          { err: error instanceof Error ? error.name : typeof error },
          'webhook dispatch failed',
        ),
      );
  }, options.intervalMs);
  timer.unref();
  return {
    fanOut,
    dispatcher,
    stop: async () => {
      clearInterval(timer);
      await poller.stop();
      await ticking;
      await dispatcher.drain();
    },
  };
}
