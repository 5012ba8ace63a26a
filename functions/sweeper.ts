import type { ScheduledEvent } from 'aws-lambda';
import { loadLambdaConfig } from '../shared/config/config.js';
import type { SweepResult } from '../shared/services/sweeper.js';
import { vaultForSweeper } from '../shared/services/vault.js';
import { flushingMetrics } from './support/flush-metrics.js';
import { lambdaAdapters } from './support/lambda-adapters.js';

/** EventBridge schedule -> due transitions (expiry, release). No KMS rights. */
const adapters = lambdaAdapters(loadLambdaConfig());
const { sweeper } = vaultForSweeper(adapters);

export const handler = flushingMetrics(adapters.metrics, sweep);

async function sweep(event: Pick<ScheduledEvent, 'time'>): Promise<SweepResult> {
  const result = await sweeper.sweep();
  adapters.logger.info({ scheduledAt: event.time, ...result }, 'sweeper run');
  // Failing the invocation makes the Errors metric (and its alarm) see orders that could not be swept.
  if (result.failed > 0)
    throw new Error(`${result.failed} of ${result.examined} due orders could not be swept`);
  return result;
}
