import { describe, expect, it } from 'vitest';
import { afterAttempt, subjectOf } from '../../shared/domain/webhook-delivery.js';
import { webhookEventOf } from '../../shared/domain/webhook-event.js';
import { defaultWebhookRetryPolicy } from '../../shared/domain/webhook-retry.js';

const policy = { ...defaultWebhookRetryPolicy, baseSeconds: 30, giveUpAfterSeconds: 3600 };
const at = (s: number) => new Date(Date.UTC(2026, 0, 1) + s * 1000);
const failed = { outcome: 'failed' as const, status: 500, error: 'status 500', latencyMs: 12 };

describe('afterAttempt', () => {
  it('delivers on a 2xx, keeping the window start of the first attempt', () => {
    const result = afterAttempt(
      { attempts: [] },
      { outcome: 'delivered', status: 204, latencyMs: 5 },
      policy,
      at(0),
    );
    expect(result).toEqual({
      state: 'delivered',
      firstAttemptAt: at(0).toISOString(),
      record: { at: at(0).toISOString(), outcome: 'delivered', status: 204, latencyMs: 5 },
    });
  });

  it('schedules the retry 30 s after a first failure, then 60 s after a second', () => {
    const first = afterAttempt({ attempts: [] }, failed, policy, at(0));
    expect(first.state).toBe('pending');
    expect(first.record.nextAttemptAt).toBe(at(30).toISOString());
    const second = afterAttempt(
      { firstAttemptAt: first.firstAttemptAt, attempts: [first.record] },
      failed,
      policy,
      at(30),
    );
    expect(second.record.nextAttemptAt).toBe(at(90).toISOString());
  });

  it('fails for good when the next attempt would fall past the window', () => {
    const attempts = Array.from({ length: 6 }, (_, i) => ({
      ...failed,
      at: at(i).toISOString(),
      outcome: 'failed' as const,
    }));
    // attempt 7 fails at 3000 s: the next would be 30 * 2^6 = 1920 s later, past 3600 s
    const result = afterAttempt({ firstAttemptAt: at(0).toISOString(), attempts }, failed, policy, at(3000));
    expect(result.state).toBe('failed');
    expect(result.record.nextAttemptAt).toBeUndefined();
  });

  it('counts only the attempts of the current window after a send-again', () => {
    const old = [
      { ...failed, at: at(0).toISOString() },
      { ...failed, at: at(30).toISOString() },
    ];
    const result = afterAttempt(
      { firstAttemptAt: at(5000).toISOString(), attempts: old },
      failed,
      policy,
      at(5000),
    );
    expect(result.record.nextAttemptAt).toBe(at(5030).toISOString());
  });
});

describe('subjectOf', () => {
  const line = { eventId: 'evt_1', at: at(0).toISOString() };
  it('keeps an order’s events in the order’s queue and a seller’s in the seller’s', () => {
    const placed = webhookEventOf('t', { ...line, type: 'order.placed', orderId: 'ord_1' });
    const suspended = webhookEventOf('t', { ...line, type: 'seller.suspended', sellerId: 'alice' });
    expect(placed && subjectOf(placed)).toBe('order:ord_1');
    expect(suspended && subjectOf(suspended)).toBe('seller:alice');
  });
});
