import { describe, expect, it } from 'vitest';
import { OrderTransitions } from '../../shared/domain/order-transitions.js';
import { type TrailType, trailTypes } from '../../shared/domain/trail-type.js';
import {
  TRAIL_TO_WEBHOOK,
  type WebhookEventType,
  webhookEventTypeOf,
  webhookEventTypes,
} from '../../shared/domain/webhook-event.js';
import { anOrder, at } from '../support/builders.js';

/**
 * The trail's vocabulary is one list, and every mapping from it is a `satisfies Record<...>`
 * table: these fixtures are type errors, checked by `tsc` in `npm run check` (a fixture that
 * compiled would make its `@ts-expect-error` itself an error).
 */
type Mapping = Record<TrailType | 'order.unmapped', WebhookEventType | null>;
// @ts-expect-error a new trail type without a webhook mapping (or an explicit null) does not compile
const _incomplete = { ...TRAIL_TO_WEBHOOK } satisfies Mapping;

const transitions = new OrderTransitions(() => 'evt_1');
// @ts-expect-error a misspelt trail line does not compile
const _misspelt = () => transitions.event(anOrder(), at(0), 'order.revaeled', 'buyer');

describe('the trail vocabulary', () => {
  it('maps every trail type to a declared webhook event or to null (unpublished)', () => {
    for (const type of trailTypes) {
      const mapped = TRAIL_TO_WEBHOOK[type];
      if (mapped !== null) expect(webhookEventTypes).toContain(mapped);
    }
    expect(Object.keys(TRAIL_TO_WEBHOOK).sort()).toEqual([...trailTypes].sort());
  });

  it('publishes every webhook event type from some trail line, but order.confirmed (a buyer release)', () => {
    const published = new Set<string>(Object.values(TRAIL_TO_WEBHOOK).filter((t) => t !== null));
    expect(webhookEventTypes.filter((t) => !published.has(t))).toEqual(['order.confirmed']);
  });

  it('publishes nothing for an unknown or unpublished line read off the stream', () => {
    expect(webhookEventTypeOf('order.unknown')).toBeUndefined();
    expect(webhookEventTypeOf('order.redelivered')).toBeUndefined();
    expect(webhookEventTypeOf('__proto__')).toBeUndefined();
    expect(webhookEventTypeOf('payment.received')).toBe('order.paid');
    expect([_incomplete, _misspelt]).toHaveLength(2);
  });
});
