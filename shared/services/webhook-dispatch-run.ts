/**
 * One scheduled run of the dispatcher (functions/webhook-dispatcher.ts, every minute in AWS):
 * ticks once per `tickMs` while there is work, and ends early once the due index has been empty,
 * with nothing in flight, for `idleTicksToEnd` ticks in a row.
 *
 * Why it ends early: a run that ticks for its whole window pays a due-index query a second and
 * 45 s of Lambda time every minute whether or not any tenant has an endpoint (about 14 USD and
 * 15.6 million queries a month for an idle stage; about 0.78 USD and 1 million now, docs/operations.md "Rough
 * monthly cost"). The price: idle is judged on what is due now, so an event or a retry that
 * becomes due after a run ended (a retry's backoff, an order's next transaction a minute later)
 * waits for the next run, up to a minute. A stage where something is due every few seconds keeps
 * ticking, and keeps the one-second cadence.
 */
/** How the deployed dispatcher runs (functions/webhook-dispatcher.ts), every minute. */
export const DISPATCH_RUN = {
  tickMs: 1000,
  /** Kept free after the last attempt's deadline, before the invocation ends: its record's writes. */
  recordMs: 5_000,
  /** Up to this long per invocation, so runs a minute apart do not pile up. */
  runMs: 45_000,
  /**
   * A few, so an attempt that ends makes its order's next event due within the run. This assumes
   * the due index (a GSI, eventually consistent in DynamoDB; consistent in DynamoDB Local, so no
   * test here can show it) shows a queue's advance within about two ticks.
   */
  idleTicksToEnd: 3,
} as const;

export interface TickOptions {
  /** Epoch ms after which the tick starts no attempt (one started later could outlast the run). */
  readonly startBy?: number;
}

export interface DispatchTicker {
  /** Starts what is due; `idle` when nothing was due and no attempt is in flight. */
  tick(options?: TickOptions): Promise<{ started: number; idle: boolean }>;
  /** Waits for the attempts in flight. */
  drain(): Promise<void>;
}

export interface DispatchRunOptions {
  /**
   * Epoch ms by which the last attempt must have started: an attempt's whole time (the transport's
   * deadline) and its recording are left after it. None starts once it has passed.
   */
  readonly until: number;
  readonly tickMs: number;
  /** Idle ticks in a row after which the run ends. */
  readonly idleTicksToEnd: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface DispatchRunResult {
  readonly started: number;
  readonly ticks: number;
  /** Why the run ended: nothing left to do, or its time window closed. */
  readonly ended: 'idle' | 'deadline';
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runDispatch(
  dispatcher: DispatchTicker,
  options: DispatchRunOptions,
): Promise<DispatchRunResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  let started = 0;
  let ticks = 0;
  let idleInARow = 0;
  let ended: DispatchRunResult['ended'] = 'deadline';
  while (now() < options.until) {
    const tick = await dispatcher.tick({ startBy: options.until });
    ticks += 1;
    started += tick.started;
    idleInARow = tick.idle ? idleInARow + 1 : 0;
    if (idleInARow >= options.idleTicksToEnd) {
      ended = 'idle';
      break;
    }
    if (now() + options.tickMs >= options.until) break;
    await sleep(options.tickMs);
  }
  await dispatcher.drain();
  return { started, ticks, ended };
}
