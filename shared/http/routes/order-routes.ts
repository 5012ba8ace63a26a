import { createRoute } from '@hono/zod-openapi';
import { MAX_CARDS_PER_ORDER } from '../../domain/order.js';
import type { OrderService } from '../../services/order-service.js';
import type { PaymentService } from '../../services/payment-service.js';
import { routeApp, tenantOf } from '../env.js';
import {
  bodyProblems,
  eventPageQuery,
  externalId,
  idempotencyHeader,
  idempotencyProblems,
  idParams,
  inputProblems,
  json,
  jsonBody,
  PositiveMoneySchema,
  problems,
  vaultId,
} from '../schemas.js';
import { needs, reads } from '../scopes.js';
import { EventsSchema, eventsView } from '../views/events-view.js';
import { OrderSchema, orderView } from '../views/order-view.js';
import * as z from '../zod.js';

const orderParams = idParams({ orderId: 'ord' });

const place = createRoute({
  method: 'post',
  path: '/orders',
  operationId: 'placeOrder',
  tags: ['Orders'],
  summary: 'Place an order',
  description:
    'Reserves `quantity` available cards of the listing for the buyer until `expiresAt` (the ' +
    'payment window); unpaid by then, the order expires and the cards go back on sale. Nothing ' +
    'is shown to anyone until the payment has cleared (F4).',
  ...needs('orders'),
  request: {
    headers: idempotencyHeader,
    body: jsonBody(
      z
        .strictObject({
          listingId: vaultId('lst'),
          buyerId: externalId,
          quantity: z.number().int().min(1).max(MAX_CARDS_PER_ORDER).default(1),
        })
        .openapi('PlaceOrder'),
    ),
  },
  responses: {
    201: json(OrderSchema, 'The order, pending payment, with its reserved cards'),
    ...problems(
      bodyProblems,
      idempotencyProblems,
      'not-found',
      'out-of-stock',
      'seller-suspended',
      'self-purchase',
    ),
  },
});

const get = createRoute({
  method: 'get',
  path: '/orders/{orderId}',
  operationId: 'getOrder',
  tags: ['Orders'],
  summary: 'Read an order',
  ...reads('orders'),
  request: { params: orderParams },
  responses: {
    200: json(OrderSchema, 'The order, with plain status texts for both parties'),
    ...problems(inputProblems, 'not-found'),
  },
});

const pay = createRoute({
  method: 'post',
  path: '/orders/{orderId}/payment',
  operationId: 'recordPayment',
  tags: ['Orders'],
  summary: 'Record that the payment cleared into escrow',
  description:
    "The marketplace's payment callback. Idempotent by `paymentRef`: the same reference again " +
    'gets the same answer (F8), and a reference pays one order only. A payment for an order that ' +
    'expired, was cancelled or was already paid by another reference is recorded as a refund due ' +
    '(`refundDue`) and answered with its problem.',
  ...needs('orders'),
  request: {
    params: orderParams,
    body: jsonBody(
      z.strictObject({ paymentRef: externalId, amount: PositiveMoneySchema }).openapi('RecordPayment'),
    ),
  },
  responses: {
    200: json(OrderSchema, 'The paid order (the same paymentRef again gets the same answer)'),
    ...problems(
      bodyProblems,
      'not-found',
      'order-expired',
      'already-paid',
      'payment-reference-reused',
      'amount-mismatch',
      'invalid-state',
    ),
  },
});

const cancel = createRoute({
  method: 'post',
  path: '/orders/{orderId}/cancel',
  operationId: 'cancelOrder',
  tags: ['Orders'],
  summary: 'Cancel an unpaid order',
  description: 'The reserved cards go back on sale. A paid order cannot be cancelled (`invalid-state`).',
  ...needs('orders'),
  request: { params: orderParams },
  responses: {
    200: json(OrderSchema, 'The cancelled order'),
    ...problems(inputProblems, 'not-found', 'invalid-state', 'order-expired', 'already-paid'),
  },
});

const confirm = createRoute({
  method: 'post',
  path: '/orders/{orderId}/confirm',
  operationId: 'confirmOrder',
  tags: ['Orders'],
  summary: 'Confirm receipt and release escrow early',
  description:
    'The buyer waives the rest of the dispute window: the money is released to the seller now. ' +
    'Delivery never depends on it (F1): without it, the sweeper releases at the dispute deadline.',
  ...needs('orders'),
  request: {
    params: orderParams,
    body: jsonBody(z.strictObject({ buyerId: externalId }).openapi('ConfirmOrder')),
  },
  responses: {
    200: json(OrderSchema, 'The released order'),
    ...problems(bodyProblems, 'not-found', 'invalid-state', 'not-revealed'),
  },
});

const events = createRoute({
  method: 'get',
  path: '/orders/{orderId}/events',
  operationId: 'listOrderEvents',
  tags: ['Orders'],
  summary: "Read an order's audit trail",
  description:
    'Every state change of the order, each written in the same transaction as the change (F9). ' +
    'Oldest first, `limit` a page (default 50, at most 100); page on with `cursor` (the ' +
    '`nextCursor` of the previous page, absent on the last). A cursor of another list: `validation`.',
  ...reads('orders'),
  request: { params: orderParams, query: eventPageQuery(50) },
  responses: {
    200: json(EventsSchema, "The order's audit trail, oldest first"),
    ...problems(inputProblems, 'not-found'),
  },
});

/** Orders without plaintext: place, read, pay, cancel, confirm, audit trail. */
export function orderRoutes(services: { orders: OrderService; payments: PaymentService }) {
  const { orders, payments } = services;
  return routeApp()
    .openapi(place, async (c) => {
      const order = await orders.place(
        tenantOf(c),
        c.req.valid('json'),
        c.req.valid('header')['idempotency-key'],
      );
      return c.json(orderView(order), 201);
    })
    .openapi(get, async (c) =>
      c.json(orderView(await orders.get(tenantOf(c), c.req.valid('param').orderId)), 200),
    )
    .openapi(pay, async (c) => {
      const { paymentRef, amount } = c.req.valid('json');
      const order = await payments.record(tenantOf(c), c.req.valid('param').orderId, paymentRef, amount);
      return c.json(orderView(order), 200);
    })
    .openapi(cancel, async (c) =>
      c.json(orderView(await orders.cancel(tenantOf(c), c.req.valid('param').orderId)), 200),
    )
    .openapi(confirm, async (c) => {
      const order = await orders.confirm(
        tenantOf(c),
        c.req.valid('param').orderId,
        c.req.valid('json').buyerId,
      );
      return c.json(orderView(order), 200);
    })
    .openapi(events, async (c) => {
      const { orderId } = c.req.valid('param');
      return c.json(
        eventsView(orderId, await orders.events(tenantOf(c), orderId, c.req.valid('query'))),
        200,
      );
    });
}
