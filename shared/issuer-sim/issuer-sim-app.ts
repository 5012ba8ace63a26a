import { Hono } from 'hono';
import * as z from 'zod';
import { normalizeCode } from '../domain/brand.js';
import { type IssuerCheckPurpose, issuerCheckPurposes } from '../domain/issuer-check.js';
import { type Clock, systemClock } from '../ports/clock.js';
import { DEMO_BRANDS, mintCode, mintPin } from './demo-brands.js';
import { authFailure, type SimAuth } from './sim-auth.js';
import { answerFor, redeem, type SimCard, spend } from './sim-card.js';
import { problemResponse, readBody, SimProblem } from './sim-http.js';
import { type SimBrokenMode, sandboxAnswer, simBrokenModes } from './sim-sandbox.js';
import { SimSigner } from './sim-signer.js';

/** How many of the latest checks `/_sim/checks` lists (request id and purpose). */
const RECENT_CHECKS = 100;

/** Options for {@link createIssuerSimApp}. */
export interface IssuerSimOptions {
  /** Stamps redemptions; inject one to control `redeemedAt` in tests. */
  readonly clock?: Clock;
  /** Signs every answer to `/check`; a fresh Ed25519 key when absent (`/_sim/answer-key` shows it). */
  readonly signer?: SimSigner;
  /** Sandbox faults to play from the start (also `POST /_sim/broken`); none by default. */
  readonly broken?: readonly SimBrokenMode[];
}

const code = z.string().min(1).max(64);
const brand = z.string().min(1).max(64);
const checkBody = z.object({
  brand,
  code,
  pin: z.string().max(32).optional(),
  // Optional so an older vault's checks still answer; docs/issuer-protocol.md makes them required.
  requestId: z.string().min(1).max(128).optional(),
  purpose: z.enum(issuerCheckPurposes).optional(),
});
const mintBody = z.object({ brand, amount: z.int().positive(), currency: z.string().regex(/^[A-Z]{3}$/) });
const codeBody = z.object({ code });
const spendBody = z.object({ code, amount: z.int().positive() });
const setBalanceBody = z.object({ code, amount: z.int().nonnegative() });
const spendAtBody = z.object({ code, amount: z.int().positive(), at: z.iso.datetime({ offset: true }) });
const redeemAtBody = z.object({ code, redeemedAt: z.iso.datetime({ offset: true }) });
const outageBody = z.object({ down: z.boolean() });
const brokenBody = z.object({ modes: z.array(z.enum(simBrokenModes)) });
const authBody = z.object({
  brand,
  hmac: z.object({ keyId: z.string().min(1).max(64), secret: z.string().min(1).max(4096) }).optional(),
  bearer: z.string().min(1).max(4096).optional(),
});

/**
 * The simulated card issuer (docs/design.md "Issuer protocol"): `/check` as the vault calls it,
 * `/cards` to mint and redeem like a shop would, and `/_sim/*` hooks for tests and demos.
 * State lives in memory, per app instance. Nothing here logs: requests carry codes.
 */
export function createIssuerSimApp(options: IssuerSimOptions = {}): Hono {
  const clock = options.clock ?? systemClock;
  const signer = options.signer ?? new SimSigner();
  /** A 200 answer, signed over its exact bytes and the vault's request id. */
  // `forge`: signed over other bytes than sent, as a tampered answer would be (the sandbox's bad signature).
  const signed = (answer: object, requestId: string | undefined, forge = false): Response => {
    const body = JSON.stringify(answer);
    const signedBody = forge ? JSON.stringify({ ...answer, state: 'redeemed' }) : body;
    return new Response(body, {
      headers: {
        'content-type': 'application/json',
        'card-vault-answer-signature': signer.header(requestId ?? '', signedBody),
      },
    });
  };
  let broken = new Set<SimBrokenMode>(options.broken ?? []);
  const cards = new Map<string, SimCard>();
  let down = false;
  // Every /check received, answered or not: tests count what reached the issuer.
  let checks = 0;
  // Per brand: the auth its checks must carry (none by default, as the local stack's brands).
  const auth = new Map<string, SimAuth>();
  // Who asked and why, for the latest checks (never the code): tests follow a check end to end.
  const recent: Array<{ requestId?: string; purpose?: IssuerCheckPurpose }> = [];

  const find = (raw: string): SimCard => {
    const card = cards.get(normalizeCode(raw));
    if (card === undefined) throw new SimProblem(404, 'unknown-code', 'no card has this code');
    return card;
  };

  const app = new Hono();

  app.get('/health', (c) => c.json({ ok: true, down }));

  app.post('/check', async (c) => {
    checks += 1;
    if (down) return problemResponse(503, 'outage', 'the issuer is down (simulated outage)');
    // The raw text first: the signature is over the bytes sent, not over a re-serialisation.
    const raw = await c.req.text();
    const input = await readBody(c, checkBody);
    const refused = authFailure(
      auth.get(input.brand),
      { signature: c.req.header('card-vault-signature'), authorization: c.req.header('authorization') },
      raw,
      Math.floor(clock.now().getTime() / 1000),
    );
    if (refused !== undefined) return problemResponse(401, 'unauthorized', refused);
    recent.push({
      ...(input.requestId !== undefined && { requestId: input.requestId }),
      ...(input.purpose !== undefined && { purpose: input.purpose }),
    });
    if (recent.length > RECENT_CHECKS) recent.shift();
    const sandbox = await sandboxAnswer(normalizeCode(input.code), broken);
    if (sandbox?.kind === 'status') {
      return new Response(null, {
        status: sandbox.status,
        ...(sandbox.headers && { headers: sandbox.headers }),
      });
    }
    if (sandbox !== undefined) return signed(sandbox.body, input.requestId, sandbox.forgeSignature);
    const card = cards.get(normalizeCode(input.code));
    // A real issuer does not tell a wrong brand or PIN apart from an unknown code.
    if (
      card === undefined ||
      card.brand !== input.brand ||
      (card.pin !== undefined && card.pin !== input.pin)
    ) {
      return signed({ state: 'invalid' }, input.requestId);
    }
    return signed(answerFor(card), input.requestId);
  });

  // The public key that verifies this simulator's answers, to register with a brand.
  app.get('/_sim/answer-key', (c) => c.json(signer.publicKey));

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
    redeem(card, clock.now().toISOString());
    return c.json({ state: 'redeemed', redeemedAt: card.redeemedAt });
  });

  // Spending part of a card, as at a shop: the rest stays on it, and spending it all redeems it.
  app.post('/cards/spend', async (c) => {
    const input = await readBody(c, spendBody);
    const card = find(input.code);
    if (card.redeemed) throw new SimProblem(409, 'already-redeemed', 'the card was already redeemed');
    if (input.amount > card.balance.amount) {
      throw new SimProblem(409, 'insufficient-balance', 'the amount is more than the card has left');
    }
    spend(card, input.amount, clock.now().toISOString());
    return c.json(answerFor(card));
  });

  // Test hooks: unlike /cards/redeem they overwrite an earlier redemption, to stage a scenario.
  app.post('/_sim/cards/redeem-at', async (c) => {
    const input = await readBody(c, redeemAtBody);
    const card = find(input.code);
    redeem(card, new Date(input.redeemedAt).toISOString());
    return c.json({ state: 'redeemed', redeemedAt: card.redeemedAt });
  });

  // A spend dated by the test (the seller who spends most of a card just after the reveal).
  app.post('/_sim/cards/spend-at', async (c) => {
    const input = await readBody(c, spendAtBody);
    const card = find(input.code);
    if (input.amount > card.balance.amount) {
      throw new SimProblem(409, 'insufficient-balance', 'the amount is more than the card has left');
    }
    spend(card, input.amount, new Date(input.at).toISOString());
    return c.json(answerFor(card));
  });

  app.post('/_sim/cards/forget-time', async (c) => {
    const card = find((await readBody(c, codeBody)).code);
    redeem(card, undefined);
    return c.json({ state: 'redeemed' });
  });

  // 0 redeems the card now; any other amount makes it active again with that balance.
  app.post('/_sim/cards/set-balance', async (c) => {
    const input = await readBody(c, setBalanceBody);
    const card = find(input.code);
    card.balance = { ...card.balance, amount: input.amount };
    if (input.amount === 0) {
      redeem(card, clock.now().toISOString());
    } else {
      card.redeemed = false;
      delete card.redeemedAt;
      delete card.lastUsedAt;
    }
    return c.json(answerFor(card));
  });

  // The issuer forgets the card: /check answers `invalid` from now on, as for a code it never issued.
  app.post('/_sim/cards/invalidate', async (c) => {
    const input = await readBody(c, codeBody);
    find(input.code);
    cards.delete(normalizeCode(input.code));
    return c.json({ state: 'invalid' });
  });

  app.post('/_sim/checks', (c) => c.json({ checks, recent }));

  // Requires hmac and/or bearer on the brand's checks from now on; neither turns it off.
  app.post('/_sim/auth', async (c) => {
    const input = await readBody(c, authBody);
    if (input.hmac === undefined && input.bearer === undefined) auth.delete(input.brand);
    else
      auth.set(input.brand, {
        ...(input.hmac && { hmac: input.hmac }),
        ...(input.bearer && { bearer: input.bearer }),
      });
    return c.json({ brand: input.brand, hmac: input.hmac !== undefined, bearer: input.bearer !== undefined });
  });

  // Sandbox faults for the conformance kit's own tests: `{ modes: [] }` plays it straight again.
  app.post('/_sim/broken', async (c) => {
    broken = new Set((await readBody(c, brokenBody)).modes);
    return c.json({ modes: [...broken] });
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
