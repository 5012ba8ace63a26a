import type { ScheduledEvent } from 'aws-lambda';
import { OrderTransitions } from '../shared/domain/order-transitions.js';
import { OrderRunner } from '../shared/services/order-runner.js';
import { Sweeper, type SweepResult } from '../shared/services/sweeper.js';
import { lambdaBase } from './support/lambda-base.js';

/** EventBridge schedule -> due transitions (expiry, release). No KMS rights. */
const base = lambdaBase();
const sweeper = new Sweeper(
  base,
  new OrderRunner(base, new OrderTransitions((at) => base.ids.next('evt', at))),
);

export async function handler(event: Pick<ScheduledEvent, 'time'>): Promise<SweepResult> {
  const result = await sweeper.sweep();
  base.logger.info({ scheduledAt: event.time, ...result }, 'sweeper run');
  // Failing the invocation makes the Errors metric (and its alarm) see orders that could not be swept.
  if (result.failed > 0)
    throw new Error(`${result.failed} of ${result.examined} due orders could not be swept`);
  return result;
}
