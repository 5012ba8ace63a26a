import type { BenchStack } from './bench-stack.js';
import type { SeenPayment, SeenReveal } from './sale-invariants.js';
import type { SoakConfig } from './soak-config.js';
import { runPool } from './stats.js';

export interface Answer {
  readonly status: number;
  readonly body: any;
}

/** What one phase sent and how fast: answers by `status problem-code`. */
export interface PhaseRun {
  readonly name: string;
  readonly requests: number;
  readonly seconds: number;
  readonly answers: Record<string, number>;
}

/** What the clients saw over the whole run, for the invariants and the report. */
export interface SoakLog {
  readonly deposited: Array<{ listingId: string; cardId: string; code: string }>;
  readonly orders: Array<{ orderId: string; buyerId: string; amount: { amount: number; currency: string } }>;
  readonly reveals: SeenReveal[];
  readonly payments: SeenPayment[];
  readonly serverErrors: string[];
  readonly phases: PhaseRun[];
}

let serial = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++serial}`;

/** Fisher-Yates with a fixed seed, so a run's interleaving of request kinds is the same each time. */
function shuffled<T>(items: readonly T[], seed = 8): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** The soak's phases on one bench stack; every request goes to the API over HTTP on 127.0.0.1. */
export function soakPhases(b: BenchStack, cfg: SoakConfig, log: SoakLog) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${b.stack.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${b.stack.devApiKey}`,
        'content-type': 'application/json',
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    const answer: Answer = { status: response.status, body: text ? JSON.parse(text) : undefined };
    if (answer.status >= 500)
      log.serverErrors.push(`${method} ${path}: ${answer.status} ${answer.body?.type ?? ''}`);
    return answer;
  };
  /** Runs `tasks` `cfg.concurrency` at a time, tallying each answer as `status problem-code`. */
  const phase = async (name: string, tasks: ReadonlyArray<() => Promise<Answer>>) => {
    const answers: Record<string, number> = {};
    const { wallMs } = await runPool(tasks.length, cfg.concurrency, async (i) => {
      const a = await (tasks[i] as () => Promise<Answer>)();
      const kind = `${a.status} ${
        a.status < 300
          ? 'ok'
          : String(a.body?.type ?? '')
              .split('/')
              .pop()
      }`;
      answers[kind] = (answers[kind] ?? 0) + 1;
    });
    log.phases.push({ name, requests: tasks.length, seconds: wallMs / 1000, answers });
  };

  return {
    /** `listings` listings of their own sellers, each stocked with freshly minted, accepted codes. */
    async stock() {
      for (let l = 0; l < cfg.listings; l++) {
        const { listingId } = await b.api('POST', '/v1/listings', {
          sellerId: unique('soak-seller'),
          brand: 'demo-gift',
          faceValue: { amount: 5000, currency: 'EUR' },
          price: { amount: 4500, currency: 'EUR' },
        });
        const codes: string[] = [];
        await runPool(cfg.cardsPerListing, 8, async (i) => {
          codes[i] = await b.mint();
        });
        const { results } = await b.api('POST', `/v1/listings/${listingId}/cards`, {
          cards: codes.map((code) => ({ code })),
        });
        results.forEach((r: { outcome: string; cardId?: string }, i: number) => {
          if (r.outcome === 'accepted' && r.cardId)
            log.deposited.push({ listingId, cardId: r.cardId, code: codes[i] as string });
        });
      }
      return [...new Set(log.deposited.map((d) => d.listingId))];
    },

    /** `orders` buyers race for the listings' cards, spread evenly, in a shuffled order. */
    async raceOrders(listingIds: readonly string[]) {
      const tasks = Array.from({ length: cfg.orders }, (_, i) => async () => {
        const buyerId = unique('soak-buyer');
        const listingId = listingIds[i % listingIds.length] as string;
        const a = await call(
          'POST',
          '/v1/orders',
          { listingId, buyerId },
          { 'idempotency-key': unique('order') },
        );
        if (a.status === 201) log.orders.push({ orderId: a.body.orderId, buyerId, amount: a.body.amount });
        return a;
      });
      await phase('racing orders', shuffled(tasks));
    },

    /**
     * Per order: duplicate callbacks of one payment and a wrong amount under another reference,
     * racing; then, once every order is paid, a callback reusing another order's reference.
     */
    async paymentStorm() {
      const refs = log.orders.map(() => unique('pay'));
      const first = log.orders.flatMap((o, i) => [
        ...Array.from(
          { length: cfg.duplicatePayments },
          () => () => pay(o.orderId, refs[i] as string, o.amount),
        ),
        () => pay(o.orderId, unique('pay-wrong'), { ...o.amount, amount: o.amount.amount + 1 }),
      ]);
      await phase('payment storm', shuffled(first));
      const reused = log.orders.map(
        (o, i) => () => pay(o.orderId, refs[(i + 1) % refs.length] as string, o.amount),
      );
      await phase('reused payment refs', shuffled(reused));
    },

    /** `reveals` reveals over the paid orders: the buyer with fresh keys, with one shared key, and strangers. */
    async raceReveals() {
      const perOrder = Math.max(1, Math.floor(cfg.reveals / Math.max(1, log.orders.length)));
      const tasks = log.orders.flatMap((o) => {
        const shared = unique('reveal-shared');
        return Array.from({ length: perOrder }, (_, k) => {
          const kind = k % 10;
          const buyerId = kind === 9 ? unique('soak-stranger') : o.buyerId;
          const key = kind < 3 ? shared : unique('reveal');
          return async () => {
            const a = await call(
              'POST',
              `/v1/orders/${o.orderId}/reveal`,
              { buyerId },
              { 'idempotency-key': key },
            );
            if (a.status === 200) log.reveals.push({ orderId: o.orderId, buyerId, key, cards: a.body.cards });
            return a;
          };
        });
      });
      await phase('racing reveals', shuffled(tasks.slice(0, cfg.reveals)));
    },

    /** Half the buyers confirm, twice each, at once: the money is released once. */
    async confirms() {
      const tasks = log.orders
        .filter((_, i) => i % 2 === 0)
        .flatMap((o) =>
          [0, 1].map(() => () => call('POST', `/v1/orders/${o.orderId}/confirm`, { buyerId: o.buyerId })),
        );
      await phase('confirms', shuffled(tasks));
    },
  };

  async function pay(orderId: string, paymentRef: string, amount: { amount: number; currency: string }) {
    const a = await call('POST', `/v1/orders/${orderId}/payment`, { paymentRef, amount });
    if (a.status === 200) log.payments.push({ orderId, paymentRef });
    return a;
  }
}
