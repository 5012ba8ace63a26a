import type { Context, ScheduledEvent } from 'aws-lambda';
import { createKmsWebhookSecretCipher } from '../shared/adapters/kms/kms-webhook-secret-cipher.js';
import { WebhookSender } from '../shared/adapters/webhook-http/webhook-sender.js';
import { loadLambdaConfig, loadWebhookSettings } from '../shared/config/config.js';
import { DISPATCH_RUN, runDispatch } from '../shared/services/webhook-dispatch-run.js';
import { WebhookDispatcher } from '../shared/services/webhook-dispatcher.js';
import { flushingMetrics } from './support/flush-metrics.js';
import { webhookAdapters } from './support/webhook-adapters.js';

/**
 * Every minute: ticks the dispatcher once a second while there is work and time for a whole
 * attempt to end before the invocation does, ends after a few idle ticks (an idle stage pays
 * seconds, not 45 s, a minute), then waits for what is in flight. Deployed by
 * infra/constructs/webhook-functions.ts.
 */
const settings = loadWebhookSettings();
const config = loadLambdaConfig(['webhookSecretKeyId']);
const { deps, metrics } = webhookAdapters(config, settings);
const dispatcher = new WebhookDispatcher({
  ...deps,
  transport: new WebhookSender({ mode: 'aws', timeoutMs: settings.timeoutMs }),
  // kms:Decrypt on the webhook secret key only: it opens the secrets it signs with, never seals one.
  secrets: createKmsWebhookSecretCipher({ keyId: config.webhookSecretKeyId }),
});

export const handler = flushingMetrics(metrics, dispatch);

async function dispatch(
  _event: Pick<ScheduledEvent, 'time'>,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
): Promise<{ started: number; ticks: number; ended: 'idle' | 'deadline' }> {
  const { runMs, tickMs, idleTicksToEnd, recordMs } = DISPATCH_RUN;
  const until =
    Date.now() + Math.min(runMs, context.getRemainingTimeInMillis() - settings.timeoutMs - recordMs);
  const run = await runDispatch(dispatcher, { until, tickMs, idleTicksToEnd });
  deps.logger.info({ ...run }, 'webhook dispatch run');
  return run;
}
