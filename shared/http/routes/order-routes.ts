import { createRoute } from '@hono/zod-openapi';
import { MAX_CARDS_PER_ORDER } from '../../domain/order.js';
import type { OrderService } from '../../services/order-service.js';
import type { PaymentService } from '../../services/payment-service.js';
import { bearerSecurity, routeApp, tenantOf } from '../env.js';
import {
  externalId,
  idempotencyHeader,
  idParams,
  json,
  jsonBody,
  PositiveMoneySchema,
  problems,
  vaultId,
} from '../schemas.js';
import { EventsSchema, eventsView } from '../views/events-view.js';
import { OrderSchema, orderView } from '../views/order-view.js';
import * as z from '../zod.js';

const orderParams = idParams({ orderId: 'ord' });

const place = createRoute({
  method: 'post',
  path: '/orders',
  security: bearerSecurity,
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
    ...problems(400, 401, 404, 409, 422),
  },
});

const get = createRoute({
  method: 'get',
  path: '/orders/{orderId}',
  security: bearerSecurity,
  request: { params: orderParams },
  responses: {
    200: json(OrderSchema, 'The order, with plain status texts for both parties'),
    ...problems(401, 404),
  },
});

const pay = createRoute({
  method: 'post',
  path: '/orders/{orderId}/payment',
  security: bearerSecurity,
  request: {
    params: orderParams,
    body: jsonBody(
      z.strictObject({ paymentRef: externalId, amount: PositiveMoneySchema }).openapi('RecordPayment'),
    ),
  },
  responses: {
    200: json(OrderSchema, 'The paid order (the same paymentRef again gets the same answer)'),
    ...problems(400, 401, 404, 409, 422),
  },
});

const cancel = createRoute({
  method: 'post',
  path: '/orders/{orderId}/cancel',
  security: bearerSecurity,
  request: { params: orderParams },
  responses: { 200: json(OrderSchema, 'The cancelled order'), ...problems(401, 404, 409) },
});

const confirm = createRoute({
  method: 'post',
  path: '/orders/{orderId}/confirm',
  security: bearerSecurity,
  request: {
    params: orderParams,
    body: jsonBody(z.strictObject({ buyerId: externalId }).openapi('ConfirmOrder')),
  },
  responses: { 200: json(OrderSchema, 'The released order'), ...problems(400, 401, 404, 409) },
});

const events = createRoute({
  method: 'get',
  path: '/orders/{orderId}/events',
  security: bearerSecurity,
  request: { params: orderParams },
  responses: { 200: json(EventsSchema, "The order's audit trail, oldest first"), ...problems(401, 404) },
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
      return c.json(eventsView(orderId, await orders.events(tenantOf(c), orderId)), 200);
    });
}
