import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { verifyTrail } from '../../shared/evidence/trail-chain.js';
import { verifyEvidence } from '../../shared/evidence/verify-evidence.js';
import {
  aRevealedOrder,
  codeOfCard,
  eventsOf,
  expectProblem,
  findCodes,
  redeemAtTime,
  report,
} from '../support/fraud-helpers.js';
import { aListing, anOrder, depositFresh, pay, reveal } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

async function evidenceOf(orderId: string) {
  const res = await stack.current.get(`/v1/orders/${orderId}/evidence`);
  expect(res.status, res.text).toBe(200);
  return { answer: res.body as { bundle: any; jws: string }, text: res.text };
}

async function jwks() {
  const res = await stack.current.get('/v1/evidence-keys');
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** The JWS with one character of its payload part changed to another base64url character. */
function flipped(text: string, at: number): string {
  const c = text[at];
  return `${text.slice(0, at)}${c === 'A' ? 'B' : 'A'}${text.slice(at + 1)}`;
}

describe('evidence: a signed, hash-chained bundle of an order', () => {
  it('answers the order, the whole chained trail and the issuer checks, signed ES256 under a published key', async () => {
    const s = stack.current;
    const { orderId, card } = await aRevealedOrder(s);
    const { answer, text } = await evidenceOf(orderId);
    const { bundle, jws } = answer;

    expect(bundle.format).toBe('card-vault-evidence/1');
    expect(bundle.order).toMatchObject({ orderId, state: 'revealed', brand: expect.any(String) });
    expect(bundle.order.unitPrice).toEqual(expect.objectContaining({ currency: expect.any(String) }));
    expect(bundle.trail.map((e: { type: string }) => e.type)).toEqual([
      'order.placed',
      'payment.received',
      'order.revealed',
    ]);
    expect(bundle.trail.at(-1).hash).toBe(bundle.trailHead);
    expect(bundle.issuerChecks).toEqual([
      expect.objectContaining({ cardId: card.cardId, when: 'before_reveal', state: 'active' }),
    ]);
    // The trail is the one GET /events shows, event for event.
    const listed = await eventsOf(s, orderId);
    expect([...bundle.trail].sort((a, b) => a.eventId.localeCompare(b.eventId))).toEqual(listed);
    expect(
      await verifyTrail(
        listed.sort(() => 0),
        undefined,
      ),
    ).toMatchObject({ ok: expect.any(Boolean) });

    const keys = await jwks();
    expect(keys.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: expect.any(String) });
    const header = JSON.parse(Buffer.from(jws.split('.')[0] ?? '', 'base64url').toString('utf8'));
    expect(header).toEqual({ alg: 'ES256', kid: keys.keys[0].kid });
    expect(await verifyEvidence(answer, keys)).toEqual({ ok: true, kid: keys.keys[0].kid, events: 3 });
    expect(findCodes(text, [card.code])).toEqual([]);
  });

  it('fails verification for any change: a byte of the bundle, one event, an event removed, the signature', async () => {
    const s = stack.current;
    const { orderId } = await aRevealedOrder(s);
    const { answer } = await evidenceOf(orderId);
    const keys = await jwks();
    const { bundle } = answer;

    const priced = { ...bundle, order: { ...bundle.order, amount: { ...bundle.order.amount, amount: 1 } } };
    expect(await verifyEvidence({ ...answer, bundle: priced }, keys)).toMatchObject({
      ok: false,
      problem: 'bundle-differs-from-payload',
    });
    const [payload, ...rest] = answer.jws.split('.').slice(1);
    const header = answer.jws.split('.')[0];
    const badPayload = `${header}.${flipped(payload ?? '', 10)}.${rest.join('.')}`;
    expect(await verifyEvidence({ ...answer, jws: badPayload }, keys)).toMatchObject({ ok: false });
    const badSignature = `${header}.${payload}.${flipped(rest[0] ?? '', 5)}`;
    expect(await verifyEvidence({ ...answer, jws: badSignature }, keys)).toMatchObject({
      ok: false,
      problem: 'bad-signature',
    });
    expect(await verifyEvidence(answer, { keys: [] })).toMatchObject({ ok: false, problem: 'unknown-key' });

    // The chain alone, as a holder of the trail without the signature would check it.
    const edited = bundle.trail.map((e: any, i: number) => (i === 1 ? { ...e, actor: 'buyer' } : e));
    expect(await verifyTrail(edited, bundle.trailHead)).toMatchObject({
      ok: false,
      index: 1,
      problem: 'hash-mismatch',
    });
    const removed = bundle.trail.filter((_: unknown, i: number) => i !== 1);
    expect(await verifyTrail(removed, bundle.trailHead)).toMatchObject({ ok: false, problem: 'broken-link' });
  });

  it('carries a refunded report and a settled escalation with their decisions and rationales', async () => {
    const s = stack.current;
    const { listingId } = await aListing(s);
    const cards = await depositFresh(s, listingId, 2);
    const { order, orderId, buyerId } = await anOrder(s, listingId, undefined, 2);
    await pay(s, order);
    const revealed = await reveal(s, orderId, buyerId);
    expect(revealed.status, revealed.text).toBe(200);
    const revealedAt = Date.parse(revealed.body.revealedAt);
    const [first, second] = order.cards.map((c: { cardId: string }) => c.cardId) as [string, string];
    // Redeemed before the reveal: refunded at once. Just after: escalated, then settled by the desk.
    await redeemAtTime(s, codeOfCard(cards, first), revealedAt - 60_000);
    const refunded = await report(s, orderId, buyerId, first);
    expect(refunded.body.decision, refunded.text).toBe('refunded');
    await redeemAtTime(s, codeOfCard(cards, second), revealedAt + 30_000);
    const escalated = await report(s, orderId, buyerId, second);
    expect(escalated.body.decision, escalated.text).toBe('escalated');
    const settled = await s.post(`/v1/escalations/${escalated.body.reportId}/settle`, {
      outcome: 'refund_without_penalty',
      note: 'shop log shows a redemption at 14:02',
      decidedBy: 'agent-17',
    });
    expect(settled.status, settled.text).toBe(200);

    const { answer, text } = await evidenceOf(orderId);
    const reports = answer.bundle.reports as any[];
    expect(reports.find((r) => r.cardId === first)).toMatchObject({
      decision: 'refunded',
      evidence: { issuerState: 'redeemed', rationale: expect.any(String) },
    });
    expect(reports.find((r) => r.cardId === second)).toMatchObject({
      status: 'closed',
      settlement: {
        outcome: 'refund_without_penalty',
        by: 'agent-17',
        note: 'shop log shows a redemption at 14:02',
      },
      evidence: { rationale: expect.any(String) },
    });
    const types = (answer.bundle.trail as any[]).map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['report.refunded', 'report.escalated', 'report.settled']));
    expect(await verifyEvidence(answer, await jwks())).toMatchObject({ ok: true });
    expect(
      findCodes(
        text,
        cards.map((c) => c.code),
      ),
    ).toEqual([]);
  });

  it('verifies offline from the command line (npm run evidence:verify), and refuses a file with one byte changed or keys of its own', async () => {
    const s = stack.current;
    const { orderId } = await aRevealedOrder(s);
    const { answer } = await evidenceOf(orderId);
    const dir = await mkdtemp(join(tmpdir(), 'evidence-'));
    const [good, bad, keys] = ['evidence.json', 'tampered.json', 'keys.json'].map((f) => join(dir, f)) as [
      string,
      string,
      string,
    ];
    await writeFile(keys, JSON.stringify(await jwks()));
    // A forger's file carries keys of its own: the verifier never reads them.
    await writeFile(good, JSON.stringify({ ...answer, jwks: { keys: [] } }));
    const tampered = {
      ...answer.bundle,
      trail: answer.bundle.trail.map((e: any, i: number) =>
        i === 0 ? { ...e, at: e.at.replace(/.$/, '1') } : e,
      ),
    };
    await writeFile(bad, JSON.stringify({ ...answer, bundle: tampered }));
    const run = (...files: string[]) =>
      promisify(execFile)('npx', ['tsx', 'scripts/evidence-verify.ts', ...files]).then(
        ({ stdout }) => ({ code: 0, stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
      );
    const [ok, refused, noKeys] = await Promise.all([run(good, keys), run(bad, keys), run(good)]);
    expect(ok).toMatchObject({ code: 0, stdout: expect.stringMatching(/^verified: /) });
    expect(refused).toMatchObject({ code: 1, stdout: expect.stringMatching(/^NOT verified: /) });
    // Without the vault's keys there is nothing to verify against: a usage error, never "verified".
    expect(noKeys.code).toBe(2);
  });

  it('answers 404 for an order of another marketplace or none, 400 for a malformed id', async () => {
    const s = stack.current;
    expectProblem(await s.get('/v1/orders/ord_00000000000000000000000000/evidence'), 404, 'not-found');
    expectProblem(await s.get('/v1/orders/not-an-id/evidence'), 400, 'validation');
  });
});
