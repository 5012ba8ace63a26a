import { describe, expect, it } from 'vitest';
import { type DispatchTicker, runDispatch } from '../../shared/services/webhook-dispatch-run.js';

/** A dispatcher whose ticks answer a script, on a clock only the run's sleeps move. */
function scripted(idle: boolean[], startedWhenBusy = 2) {
  let clock = 0;
  const calls: string[] = [];
  let i = 0;
  const ticker: DispatchTicker = {
    tick: async () => {
      calls.push(`tick@${clock}`);
      const isIdle = idle[Math.min(i++, idle.length - 1)] ?? true;
      return { started: isIdle ? 0 : startedWhenBusy, idle: isIdle };
    },
    drain: async () => void calls.push(`drain@${clock}`),
  };
  const options = {
    now: () => clock,
    sleep: async (ms: number) => {
      clock += ms;
    },
  };
  return { ticker, calls, options };
}

describe('a scheduled dispatch run', () => {
  it('ends after 3 idle ticks in a row on an idle stage, not at the end of its window', async () => {
    const { ticker, calls, options } = scripted([true]);
    const run = await runDispatch(ticker, { ...options, until: 45_000, tickMs: 1000, idleTicksToEnd: 3 });
    expect(run).toEqual({ started: 0, ticks: 3, ended: 'idle' });
    expect(calls).toEqual(['tick@0', 'tick@1000', 'tick@2000', 'drain@2000']);
  });

  it('keeps ticking while there is work: a busy tick resets the idle count', async () => {
    const { ticker, options } = scripted([false, true, true, false, true, true, true]);
    const run = await runDispatch(ticker, { ...options, until: 45_000, tickMs: 1000, idleTicksToEnd: 3 });
    expect(run).toEqual({ started: 4, ticks: 7, ended: 'idle' });
  });

  it('ends at its window when work never stops, leaving a tick of time before the deadline', async () => {
    const { ticker, calls, options } = scripted([false]);
    const run = await runDispatch(ticker, { ...options, until: 10_000, tickMs: 1000, idleTicksToEnd: 3 });
    expect(run).toEqual({ started: 20, ticks: 10, ended: 'deadline' });
    expect(calls.at(-2)).toBe('tick@9000');
    expect(calls.at(-1)).toBe('drain@9000');
  });

  it('starts nothing, only drains, when no attempt could end before the invocation does', async () => {
    const { ticker, calls, options } = scripted([false]);
    const run = await runDispatch(ticker, { ...options, until: 0, tickMs: 1000, idleTicksToEnd: 3 });
    expect(run).toEqual({ started: 0, ticks: 0, ended: 'deadline' });
    expect(calls).toEqual(['drain@0']);
  });

  it('tells every tick the time after which it may start no attempt', async () => {
    const seen: (number | undefined)[] = [];
    const { ticker, options } = scripted([false]);
    const tick = ticker.tick;
    ticker.tick = async (o) => {
      seen.push(o?.startBy);
      return tick(o);
    };
    await runDispatch(ticker, { ...options, until: 3000, tickMs: 1000, idleTicksToEnd: 3 });
    expect(seen).toEqual([3000, 3000, 3000]);
  });
});
