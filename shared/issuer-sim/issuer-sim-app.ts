import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { normalizeCode } from '../domain/brand.js';
import type { Money } from '../domain/money.js';
import { type Clock, systemClock } from '../ports/clock.js';
import { DEMO_BRANDS, mintCode, mintPin } from './demo-brands.js';

/** Options for {@link createIssuerSimApp}. */
export interface IssuerSimOptions {
  /** Stamps redemptions; inject one to control `redeemedAt` in tests. */
  readonly clock?: Clock;
}

interface SimCard {
  readonly brand: string;
  readonly pin?: string;
  readonly balance: Money;
  redeemed: boolean;
  /** Absent on a redeemed card when the issuer "does not say" when (fraud scenario F5). */
  redeemedAt?: string;
}

const code = z.string().min(1).max(64);
const brand = z.string().min(1).max(64);
const checkBody = z.object({ brand, code, pin: z.string().max(32).optional() });
const mintBody = z.object({ brand, amount: z.int().positive(), currency: z.string().regex(/^[A-Z]{3}$/) });
const codeBody = z.object({ code });
const redeemAtBody = z.object({ code, redeemedAt: z.iso.datetime({ offset: true }) });
const outageBody = z.object({ down: z.boolean() });

/** An answer the handlers throw; `onError` turns it into problem+json. */
class SimProblem extends Error {
  constructor(
    readonly status: number,
    readonly problem: string,
    message: string,
  ) {
    super(message);
  }
}

function problemResponse(status: number, problem: string, detail: string): Response {
  const doc = { type: `urn:card-vault:issuer-sim:problem:${problem}`, title: problem, status, detail };
  return new Response(JSON.stringify(doc), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
}

/** Parses and validates a JSON body. Details name fields only: a value could be a code. */
async function readBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  let json: unknown;
  try {
    json = await c.req.json();
  } catch {
    throw new SimProblem(400, 'validation', 'the body must be JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || '(body)');
    throw new SimProblem(400, 'validation', `invalid fields: ${[...new Set(fields)].join(', ')}`);
  }
  return parsed.data;
}

/**
 * The simulated card issuer (docs/design.md "Issuer protocol"): `/check` as the vault calls it,
 * `/cards` to mint and redeem like a shop would, and `/_sim/*` hooks for tests and demos.
 * State lives in memory, per app instance. Nothing here logs: requests carry codes.
 */
export function createIssuerSimApp(options: IssuerSimOptions = {}): Hono {
  const clock = options.clock ?? systemClock;
  const cards = new Map<string, SimCard>();
  let down = false;

  const find = (raw: string): SimCard => {
    const card = cards.get(normalizeCode(raw));
    if (card === undefined) throw new SimProblem(404, 'unknown-code', 'no card has this code');
    return card;
  };

  const app = new Hono();

  app.get('/health', (c) => c.json({ ok: true, down }));

  app.post('/check', async (c) => {
    if (down) return problemResponse(503, 'outage', 'the issuer is down (simulated outage)');
    const input = await readBody(c, checkBody);
    const card = cards.get(normalizeCode(input.code));
    // A real issuer does not tell a wrong brand or PIN apart from an unknown code.
    if (
      card === undefined ||
      card.brand !== input.brand ||
      (card.pin !== undefined && card.pin !== input.pin)
    ) {
      return c.json({ state: 'invalid' });
    }
    if (!card.redeemed) return c.json({ state: 'active', balance: card.balance });
    const spent = { amount: 0, currency: card.balance.currency };
    return c.json({
      state: 'redeemed',
      balance: spent,
      ...(card.redeemedAt !== undefined && { redeemedAt: card.redeemedAt }),
    });
  });

  app.post('/cards', async (c) => {
    const input = await readBody(c, mintBody);
    const format = DEMO_BRANDS.find((f) => f.brand === input.brand);
    if (format === undefined) {
      throw new SimProblem(400, 'unknown-brand', 'the simulator does not issue this brand');
    }
    let display = mintCode(format);
    while (cards.has(normalizeCode(display))) display = mintCode(format);
    const pin = mintPin(format);
    const balance = { amount: input.amount, currency: input.currency };
    cards.set(normalizeCode(display), {
      brand: format.brand,
      balance,
      redeemed: false,
      ...(pin !== undefined && { pin }),
    });
    return c.json({ code: display, ...(pin !== undefined && { pin }), balance }, 201);
  });

  app.post('/cards/redeem', async (c) => {
    const card = find((await readBody(c, codeBody)).code);
    if (card.redeemed) throw new SimProblem(409, 'already-redeemed', 'the card was already redeemed');
    card.redeemed = true;
    card.redeemedAt = clock.now().toISOString();
    return c.json({ state: 'redeemed', redeemedAt: card.redeemedAt });
  });

  // Test hooks: unlike /cards/redeem they overwrite an earlier redemption, to stage a scenario.
  app.post('/_sim/cards/redeem-at', async (c) => {
    const input = await readBody(c, redeemAtBody);
    const card = find(input.code);
    card.redeemed = true;
    card.redeemedAt = new Date(input.redeemedAt).toISOString();
    return c.json({ state: 'redeemed', redeemedAt: card.redeemedAt });
  });

  app.post('/_sim/cards/forget-time', async (c) => {
    const card = find((await readBody(c, codeBody)).code);
    card.redeemed = true;
    delete card.redeemedAt;
    return c.json({ state: 'redeemed' });
  });

  app.post('/_sim/outage', async (c) => {
    down = (await readBody(c, outageBody)).down;
    return c.json({ down });
  });

  app.notFound(() => problemResponse(404, 'not-found', 'no such endpoint'));
  // Replaces Hono's default handler, which would console.error the error.
  app.onError((error) =>
    error instanceof SimProblem
      ? problemResponse(error.status, error.problem, error.message)
      : problemResponse(500, 'internal', 'the simulator failed'),
  );
  return app;
}
