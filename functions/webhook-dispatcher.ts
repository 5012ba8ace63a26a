import type { Context, ScheduledEvent } from 'aws-lambda';
import { WebhookSender } from '../shared/adapters/webhook-http/webhook-sender.js';
import { loadLambdaConfig, loadWebhookSettings } from '../shared/config/config.js';
import { WebhookDispatcher } from '../shared/services/webhook-dispatcher.js';
import { flushingMetrics } from './support/flush-metrics.js';
import { webhookAdapters } from './support/webhook-adapters.js';

/**
 * Every minute: ticks the dispatcher once a second while there is time for a whole attempt to
 * end before the invocation does, then waits for what is in flight. Deployed by infra/constructs/webhook-functions.ts.
 */
const settings = loadWebhookSettings();
const { deps, metrics } = webhookAdapters(loadLambdaConfig(), settings);
const dispatcher = new WebhookDispatcher({
  ...deps,
  transport: new WebhookSender({ mode: 'aws', timeoutMs: settings.timeoutMs }),
});
const TICK_MS = 1000;
/** Up to this long per invocation, so runs a minute apart do not pile up. */
const RUN_MS = 45_000;

export const handler = flushingMetrics(metrics, dispatch);

async function dispatch(
  _event: Pick<ScheduledEvent, 'time'>,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<{ started: number }> {
  const until = Date.now() + Math.min(RUN_MS, context.getRemainingTimeInMillis() - settings.timeoutMs - 5000);
  let started = 0;
  do {
    started += await dispatcher.tick();
    if (Date.now() + TICK_MS >= until) break;
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  } while (Date.now() < until);
  await dispatcher.drain();
  deps.logger.info({ started }, 'webhook dispatch run');
  return { started };
}
