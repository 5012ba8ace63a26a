import type { RevealContextRecord } from '../../domain/buyer-context.js';
import { ConcurrentUpdateError, SellerSuspendedError } from '../../domain/errors.js';
import type { Order } from '../../domain/order.js';
import type { OrderEvent } from '../../domain/order-event.js';
import type { OrderTransition } from '../../domain/order-transition.js';
import type { IdempotencyRecord, OrderStore } from '../../ports/order-store.js';
import type { Page, PageRequest } from '../../ports/page.js';
import { queryDueShards } from './due-index.js';
import { anyOf, equals, expression, lessThan, notExists } from './expression.js';
import { keys } from './keys.js';
import {
  dueOrderSchema,
  dueRecheckSchema,
  eventSchema,
  idempotencySchema,
  openOrderSchema,
  orderSchema,
  paymentSchema,
} from './order-item-schemas.js';
import { activeSellerCheck, eventItem, orderItem, transitionItems } from './order-items.js';
import { parseItem } from './parse-item.js';
import { listRevealContexts, putRevealContext } from './reveal-context-items.js';
import { getParsed, putNew, queryItems, queryPage, queryPrefix, type TableContext } from './table-context.js';
import { SELLER_INDEX } from './table-definition.js';
import { appendedEventItems } from './trail-append.js';
import { linkEvents } from './trail-chain-items.js';
import { type TaggedItem, transactWrite } from './transact.js';

const APPEND_ATTEMPTS = 8;

/** Orders, payments, events and idempotency records: one partition per order. */
export class DynamoOrderStore implements OrderStore {
  constructor(private readonly ctx: TableContext) {}

  async placeOrder(input: Parameters<OrderStore['placeOrder']>[0]) {
    const { order, idempotency } = input;
    const { tableName } = this.ctx;
    // The first line of the trail: no `prevHash`, and its hash is the order's first head.
    const trail = linkEvents(undefined, [input.event]);
    const reserve: OrderTransition = {
      at: order.createdAt,
      order,
      expectedState: 'pending_payment',
      next: order,
      cards: order.cards.map((c) => ({
        listingId: order.listingId,
        cardId: c.cardId,
        from: 'available',
        to: 'reserved',
        linked: true,
      })),
      ledger: [],
      penalties: [],
      events: [],
    };
    const items: TaggedItem[] = [
      // F2/suspension: a suspended seller's stock is frozen by this check, atomically.
      activeSellerCheck(tableName, order.tenantId, order.sellerId),
      ...transitionItems(tableName, reserve).filter((i) => i.tag.startsWith('card:')),
      { tag: 'order', item: putNew(tableName, orderItem({ ...order, trailHead: trail.head })) },
      {
        tag: 'idempotency',
        item: {
          Put: {
            TableName: tableName,
            Item: {
              ...keys.idempotency(order.tenantId, idempotency.scope, idempotency.keyHash),
              entity: 'Idempotency',
              ...idempotency.record,
              ttl: idempotency.ttlEpoch,
            },
            // DynamoDB deletes expired items lazily: an expired record no longer holds its key.
            ...expression()
              .when(anyOf(notExists('pk'), lessThan('ttl', Math.floor(Date.parse(order.createdAt) / 1000))))
              .buildCondition(),
          },
        },
      },
      ...trail.events.map((e) => eventItem(tableName, order.tenantId, e)),
    ];
    // A conflict with another transaction in flight is as good as the cards taken: the caller reads again.
    const outcome = await transactWrite(this.ctx.doc, items, { onConflict: 'fail' });
    if (outcome.ok) return 'placed' as const;
    if (outcome.has('idempotency')) return 'idempotency-key-taken' as const;
    if (outcome.has('seller')) throw new SellerSuspendedError('the seller is suspended', {});
    return 'cards-taken' as const;
  }

  async getIdempotency(
    tenantId: string,
    scope: string,
    keyHash: string,
    now: Date,
  ): Promise<IdempotencyRecord | undefined> {
    const item = await getParsed(
      this.ctx,
      'idempotency',
      idempotencySchema,
      keys.idempotency(tenantId, scope, keyHash),
    );
    // DynamoDB deletes expired items lazily; an expired record no longer counts.
    if (!item || (item.ttl !== undefined && item.ttl * 1000 < now.getTime())) return undefined;
    return { requestHash: item.requestHash, status: item.status, body: item.body };
  }

  async getOrder(tenantId: string, orderId: string): Promise<Order | undefined> {
    return getParsed(this.ctx, 'order', orderSchema, keys.order(tenantId, orderId));
  }

  async transition(t: OrderTransition) {
    // A failed condition or another transaction in flight: the caller reads again and decides again.
    const outcome = await transactWrite(this.ctx.doc, transitionItems(this.ctx.tableName, t), {
      onConflict: 'fail',
    });
    return outcome.ok ? ('done' as const) : ('conflict' as const);
  }

  async recordPayment(input: Parameters<OrderStore['recordPayment']>[0]) {
    const { tableName } = this.ctx;
    const payment: TaggedItem = {
      tag: 'payment',
      item: putNew(tableName, {
        ...keys.payment(input.tenantId, input.orderId, input.paymentRef),
        entity: 'Payment',
        paymentRef: input.paymentRef,
        amount: input.amount,
        outcome: input.outcome,
      }),
    };
    const reference: TaggedItem = {
      tag: 'paymentRef',
      item: {
        Put: {
          TableName: tableName,
          Item: {
            ...keys.paymentRef(input.tenantId, input.paymentRef),
            entity: 'PaymentRef',
            orderId: input.orderId,
          },
          ...expression()
            .when(anyOf(notExists('pk'), equals('orderId', input.orderId)))
            .buildCondition(),
        },
      },
    };
    const items = [payment, reference, ...transitionItems(tableName, input.transition)];
    const outcome = await transactWrite(this.ctx.doc, items, { onConflict: 'fail' });
    if (outcome.ok) return 'recorded' as const;
    if (outcome.has('payment')) return 'payment-exists' as const;
    // A payment that applies requires an active seller (`requireActiveSeller` on the seller's update).
    if (outcome.has('seller')) return 'seller-suspended' as const;
    return outcome.has('paymentRef') ? ('payment-ref-taken' as const) : ('conflict' as const);
  }

  async getPayment(tenantId: string, orderId: string, paymentRef: string) {
    return getParsed(this.ctx, 'payment', paymentSchema, keys.payment(tenantId, orderId, paymentRef));
  }

  async listEvents(tenantId: string, orderId: string): Promise<OrderEvent[]> {
    const { pk, skPrefix } = keys.eventsOf(tenantId, orderId);
    return (await queryPrefix(this.ctx, pk, skPrefix)).map((i) => parseItem('event', eventSchema, i));
  }

  async pageEvents(tenantId: string, orderId: string, page: PageRequest): Promise<Page<OrderEvent>> {
    const { pk, skPrefix } = keys.eventsOf(tenantId, orderId);
    const rows = await queryPage(this.ctx, pk, skPrefix, page);
    return { ...rows, items: rows.items.map((i) => parseItem('event', eventSchema, i)) };
  }

  async appendEvent(tenantId: string, event: OrderEvent): Promise<void> {
    for (let attempt = 0; attempt < APPEND_ATTEMPTS; attempt++) {
      const items = await appendedEventItems(this.ctx, tenantId, [event]);
      const outcome = await transactWrite(this.ctx.doc, items, { onConflict: 'fail' });
      // Written already (a retried call): the line is on the trail once.
      if (outcome.ok || outcome.has('event')) return;
      // Another line took the head meanwhile: link onto the new head.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * 2 ** attempt));
    }
    throw new ConcurrentUpdateError('the trail kept changing; try again', { orderId: event.orderId });
  }

  putRevealContext(record: RevealContextRecord): Promise<void> {
    return putRevealContext(this.ctx, record);
  }

  listRevealContexts(tenantId: string, orderId: string, now: Date): Promise<RevealContextRecord[]> {
    return listRevealContexts(this.ctx, tenantId, orderId, now);
  }

  async listDueOrders(now: string, limit: number) {
    const rows = await queryDueShards(this.ctx, keys.dueShards(), now, limit, 'tenantId, orderId, gsi1sk');
    return rows
      .map(({ item, where }) => parseItem('due order', dueOrderSchema, item, where))
      .sort((a, b) => a.gsi1sk.localeCompare(b.gsi1sk))
      .slice(0, limit)
      .map(({ tenantId, orderId }) => ({ tenantId, orderId }));
  }

  async listDueRechecks(now: string, limit: number) {
    const rows = await queryDueShards(
      this.ctx,
      keys.recheckShards(),
      now,
      limit,
      'tenantId, orderId, cardId, gsi1sk',
    );
    return rows
      .map(({ item, where }) => parseItem('due recheck', dueRecheckSchema, item, where))
      .sort((a, b) => a.gsi1sk.localeCompare(b.gsi1sk))
      .slice(0, limit)
      .map(({ tenantId, orderId, cardId }) => ({
        tenantId,
        orderId,
        ...(cardId !== undefined ? { cardId } : {}),
      }));
  }

  async listOpenSellerOrders(tenantId: string, sellerId: string) {
    const out: Array<{ orderId: string }> = [];
    const partition = keys.sellerOpenOrders(tenantId, sellerId);
    for await (const item of queryItems(this.ctx, {
      IndexName: SELLER_INDEX,
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': partition },
      ProjectionExpression: 'orderId',
    }))
      out.push(parseItem('open order', openOrderSchema, item, `${SELLER_INDEX} ${partition}`));
    return out;
  }

  async listHeldReleases(tenantId: string, sellerId: string) {
    const out: Array<{ orderId: string }> = [];
    const partition = keys.heldReleasesOf(tenantId, sellerId);
    for await (const item of queryItems(this.ctx, {
      IndexName: SELLER_INDEX,
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': partition },
      ProjectionExpression: 'orderId',
    }))
      out.push(parseItem('held release', openOrderSchema, item, `${SELLER_INDEX} ${partition}`));
    return out;
  }
}
