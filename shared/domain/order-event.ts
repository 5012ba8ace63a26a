import type { TrailType } from './trail-type.js';

export const actors = ['buyer', 'seller', 'marketplace', 'vault', 'sweeper', 'issuer'] as const;
export type Actor = (typeof actors)[number];

/** One line of an order's audit trail (F9). `data` never holds a plaintext code. */
export interface OrderEvent {
  readonly eventId: string;
  readonly orderId: string;
  readonly type: TrailType;
  readonly actor: Actor;
  readonly from?: string;
  readonly to?: string;
  readonly at: string;
  readonly data?: Record<string, unknown>;
  /** The trail's hash chain (`trail-line.ts`): set by the store as it writes the event. */
  readonly prevHash?: string;
  readonly hash?: string;
}
