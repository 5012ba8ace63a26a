import { describe, expect, it } from 'vitest';
import {
  isWebhookEventType,
  wants,
  webhookEventOf,
  webhookEventsOf,
  webhookEventTypeOf,
  webhookEventTypes,
} from '../../shared/domain/webhook-event.js';
import { defaultWebhookRetryPolicy, nextAttemptAt } from '../../shared/domain/webhook-retry.js';

describe('webhook events', () => {
  it('maps trail lines onto the webhook vocabulary and leaves re-deliveries unpublished', () => {
    expect(webhookEventTypeOf('payment.received')).toBe('order.paid');
    expect(webhookEventTypeOf('payment.refund_due')).toBe('order.refund_due');
    expect(webhookEventTypeOf('report.rejected')).toBe('report.decided');
    expect(webhookEventTypeOf('report.default_applied')).toBe('report.settled');
    expect(webhookEventTypeOf('seller.suspended')).toBe('seller.suspended');
    expect(webhookEventTypeOf('order.redelivered')).toBeUndefined();
    expect(webhookEventTypeOf('toString')).toBeUndefined();
  });

  it('knows its vocabulary and who wants what', () => {
    expect(webhookEventTypes.every(isWebhookEventType)).toBe(true);
    expect(isWebhookEventType('order.redelivered')).toBe(false);
    expect(wants(['*'], 'order.paid')).toBe(true);
    expect(wants(['order.paid'], 'order.paid')).toBe(true);
    expect(wants(['order.paid'], 'order.refunded')).toBe(false);
  });
});

describe('webhook retry policy', () => {
  const first = new Date('2026-01-01T00:00:00Z');
  const policy = { ...defaultWebhookRetryPolicy, baseSeconds: 10, maxDelaySeconds: 3600 };

  it('doubles the delay per attempt up to the cap', () => {
    expect(nextAttemptAt(policy, first, 1, first)?.toISOString()).toBe('2026-01-01T00:00:10.000Z');
    expect(nextAttemptAt(policy, first, 3, first)?.toISOString()).toBe('2026-01-01T00:00:40.000Z');
    expect(nextAttemptAt(policy, first, 20, first)?.toISOString()).toBe('2026-01-01T01:00:00.000Z');
  });

  it('gives up once the next attempt would fall past three days after the first', () => {
    const lastMoment = new Date(first.getTime() + 3 * 24 * 3600_000 - 3600_000);
    expect(nextAttemptAt(policy, first, 20, lastMoment)).toBeDefined();
    expect(nextAttemptAt(policy, first, 20, new Date(lastMoment.getTime() + 1000))).toBeUndefined();
  });
});

describe('webhookEventOf', () => {
  it('turns a trail line into a payload that names its fields and keeps the event id', () => {
    const line = {
      eventId: 'evt_01',
      type: 'payment.received',
      at: '2026-01-01T00:00:10.000Z',
      orderId: 'ord_1',
      from: 'pending_payment',
      to: 'paid',
      data: { paymentRef: 'pay_1' },
      pk: 'T#t1#ORD#ord_1',
      entity: 'Event',
    };
    expect(webhookEventOf('t1', line)).toEqual({
      id: 'evt_01',
      type: 'order.paid',
      created: 1_767_225_610,
      tenant: 't1',
      data: {
        orderId: 'ord_1',
        from: 'pending_payment',
        to: 'paid',
        at: '2026-01-01T00:00:10.000Z',
        details: { paymentRef: 'pay_1' },
      },
    });
  });

  it('publishes nothing for a line outside the vocabulary', () => {
    expect(
      webhookEventOf('t1', { eventId: 'e', type: 'order.redelivered', at: '2026-01-01T00:00:00Z' }),
    ).toBe(undefined);
  });
});

describe('webhookEventsOf', () => {
  const released = {
    eventId: 'evt_0000000000000000000000000B',
    type: 'order.released',
    at: '2026-01-01T00:00:10.000Z',
    orderId: 'ord_1',
    from: 'revealed',
    to: 'released',
  };

  it("publishes a buyer's release as order.confirmed, then order.released, the confirmation's id just before", () => {
    const events = webhookEventsOf('t1', { ...released, actor: 'buyer' });
    expect(events.map((e) => [e.type, e.id])).toEqual([
      ['order.confirmed', 'evt_0000000000000000000000000A'],
      ['order.released', 'evt_0000000000000000000000000B'],
    ]);
    expect(events[0]?.data).toEqual(events[1]?.data);
    // Derived, not drawn: the same line read again gives the same ids.
    expect(webhookEventsOf('t1', { ...released, actor: 'buyer' })).toEqual(events);
  });

  it('publishes a release at the end of the dispute window as order.released alone', () => {
    expect(webhookEventsOf('t1', { ...released, actor: 'sweeper' }).map((e) => e.type)).toEqual([
      'order.released',
    ]);
  });

  it('publishes nothing for a line outside the vocabulary', () => {
    expect(webhookEventsOf('t1', { ...released, type: 'order.redelivered', actor: 'buyer' })).toEqual([]);
  });
});
