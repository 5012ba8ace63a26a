import type { WebhookEventType } from './generated.js';

/**
 * What a webhook delivers (Stripe's shape), as a union discriminated by `type`: after
 * `switch (event.type)`, `event.data` is the data of that type. The types come from /openapi.json
 * (the `type` of a webhook delivery); `id` is the event's id: de-duplicate on it, delivery is at
 * least once.
 */
export type WebhookEvent = { [T in WebhookEventType]: WebhookEventOf<T> }[WebhookEventType];

export interface WebhookEventOf<T extends WebhookEventType> {
  readonly id: string;
  readonly type: T;
  /** Unix seconds of the change. */
  readonly created: number;
  readonly tenant: string;
  readonly data: WebhookEventData<T>;
}

interface CommonData {
  /** When the change happened (RFC 3339, UTC). */
  readonly at: string;
  /** The state it left, where it is a state change. */
  readonly from?: string;
  /** The state it reached. */
  readonly to?: string;
  /** The change's own fields (amounts, report ids, reasons), never a code. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Order and report events are about an order, seller events about a seller. */
export type WebhookEventData<T extends WebhookEventType> = CommonData &
  (T extends `order.${string}` | `report.${string}`
    ? { readonly orderId: string; readonly sellerId?: string }
    : T extends `seller.${string}`
      ? { readonly sellerId: string; readonly orderId?: string }
      : { readonly orderId?: string; readonly sellerId?: string });
