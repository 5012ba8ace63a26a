import * as z from 'zod/mini';
import { NotFoundError } from '../../domain/errors.js';
import type { OrderEvent } from '../../domain/order-event.js';
import { optionalText } from './item-schema.js';
import { keys } from './keys.js';
import { eventItem } from './order-items.js';
import { getParsed, type TableContext } from './table-context.js';
import { linkEvents, moveHeadItem } from './trail-chain-items.js';
import type { TaggedItem } from './transact.js';

const headSchema = z.object({ trailHead: optionalText });

/**
 * The items that append events to one order's trail without changing the order otherwise: the
 * events linked onto the head as read now, and the head moved on condition it is still that one
 * (a transaction that loses that race is cancelled, and its caller reads again).
 */
export async function appendedEventItems(
  ctx: TableContext,
  tenantId: string,
  events: readonly OrderEvent[],
): Promise<TaggedItem[]> {
  const orderId = events[0]?.orderId;
  if (orderId === undefined) return [];
  const read = await getParsed(ctx, 'order head', headSchema, keys.order(tenantId, orderId));
  if (!read) throw new NotFoundError('order not found', { orderId });
  const trail = linkEvents(read.trailHead, events);
  if (trail.head === undefined) return [];
  return [
    moveHeadItem(ctx.tableName, { tenantId, orderId }, read.trailHead, trail.head),
    ...trail.events.map((e) => eventItem(ctx.tableName, tenantId, e)),
  ];
}
