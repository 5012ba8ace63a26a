import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../shared/adapters/issuer/circuit-breaker.js';

function aBreaker(failureThreshold = 3, cooldownMs = 1000) {
  const time = { now: 0 };
  const breaker = new CircuitBreaker({ failureThreshold, cooldownMs, now: () => time.now });
  return { breaker, time };
}

function fail(breaker: CircuitBreaker, times: number): void {
  for (let i = 0; i < times; i++) {
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onFailure();
  }
}

describe('CircuitBreaker', () => {
  it('stays closed below the failure threshold', () => {
    const { breaker } = aBreaker(3);
    fail(breaker, 2);
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('counts only consecutive failures: a success resets the count', () => {
    const { breaker } = aBreaker(3);
    fail(breaker, 2);
    breaker.onSuccess();
    fail(breaker, 2);
    expect(breaker.state).toBe('closed');
  });

  it('opens after N consecutive failures and then refuses attempts', () => {
    const { breaker } = aBreaker(3);
    fail(breaker, 3);
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('stays open until the cooldown has fully passed', () => {
    const { breaker, time } = aBreaker(3, 1000);
    fail(breaker, 3);
    time.now = 999;
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('turns half-open after the cooldown and lets exactly one probe through', () => {
    const { breaker, time } = aBreaker(3, 1000);
    fail(breaker, 3);
    time.now = 1000;
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('closes when the probe succeeds', () => {
    const { breaker, time } = aBreaker(3, 1000);
    fail(breaker, 3);
    time.now = 1000;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onSuccess();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('reopens for a full cooldown when the probe fails', () => {
    const { breaker, time } = aBreaker(3, 1000);
    fail(breaker, 3);
    time.now = 1000;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.onFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    time.now = 1999;
    expect(breaker.tryAcquire()).toBe(false);
    time.now = 2000;
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('defaults to 5 failures and a 30 s cooldown', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ now: () => now });
    fail(breaker, 4);
    expect(breaker.state).toBe('closed');
    fail(breaker, 1);
    expect(breaker.state).toBe('open');
    now = 29_999;
    expect(breaker.state).toBe('open');
    now = 30_000;
    expect(breaker.state).toBe('half-open');
  });

  it('rejects a threshold below one', () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0 })).toThrow(RangeError);
  });
});
