import { describe, expect, it } from 'vitest';
import { createDynamoClients } from '../../shared/adapters/dynamodb/dynamodb-clients.js';
import { createDynamoStores } from '../../shared/adapters/dynamodb/dynamodb-stores.js';
import { normalizeCode } from '../../shared/domain/brand.js';
import type { IssuerAnswerKey } from '../../shared/domain/issuer-answer.js';
import { verifyAnswerSignature } from '../../shared/evidence/issuer-answer-signature.js';
import { verifyEvidence } from '../../shared/evidence/verify-evidence.js';
import { DEMO_GIFT_BRAND, demoBrand } from '../../shared/issuer-sim/demo-brands.js';
import { SimSigner } from '../../shared/issuer-sim/sim-signer.js';
import {
  codeOfCard,
  expectProblem,
  orderOf,
  redeemAtTime,
  report,
  storedReport,
} from '../support/fraud-helpers.js';
import { aListing, anOrder, aPaidOrder, depositFresh, mintCode, pay, reveal } from '../support/scenario.js';
import { useTestStack } from '../support/test-stack.js';

const stack = useTestStack();

describe('signed issuer answers, kept as evidence (issue 21, item 3)', () => {
  it('keeps the issuer signature with the deposit check, the re-check before reveal and the report, each verifying alone', async () => {
    const s = stack.current;
    const simKey = (await (await fetch(`${s.issuerUrl}/_sim/answer-key`)).json()) as object;
    const { listingId } = await aListing(s);
    const cards = await depositFresh(s, listingId, 1);
    const { order, orderId, buyerId } = await anOrder(s, listingId);
    await pay(s, order);
    const revealed = await reveal(s, orderId, buyerId);
    expect(revealed.status, revealed.text).toBe(200);
    const cardId = order.cards[0].cardId as string;
    await redeemAtTime(s, codeOfCard(cards, cardId), Date.parse(revealed.body.revealedAt) - 60_000);
    const reported = await report(s, orderId, buyerId, cardId);
    expect(reported.body.decision, reported.text).toBe('refunded');

    // The deposit's check, on the card record as stored.
    const tenantId = await s.vault.tenants.authenticate(s.devApiKey);
    const { client, doc } = createDynamoClients({ endpoint: s.dynamodbEndpoint });
    const card = await createDynamoStores({ doc, tableName: s.tableName })
      .catalog.getCard(tenantId, listingId, cardId)
      .finally(() => client.destroy());
    const deposit = card?.validation.answerSignature;
    expect(deposit?.key).toEqual(simKey);
    expect(JSON.parse(deposit?.body ?? '{}')).toMatchObject({ state: 'active' });
    expect(deposit && (await verifyAnswerSignature(deposit))).toBe(true);

    // The report's check, as the report item holds it.
    const stored = await storedReport(s, orderId, cardId);
    expect(JSON.parse(stored.evidence.answerSignature.body)).toMatchObject({ state: 'redeemed' });
    expect(await verifyAnswerSignature(stored.evidence.answerSignature)).toBe(true);

    // Both checks reach the signed evidence bundle, and verify from it alone.
    const res = await s.get(`/v1/orders/${orderId}/evidence`);
    expect(res.status, res.text).toBe(200);
    const checks = res.body.bundle.issuerChecks as Array<{ when: string; signature: any }>;
    expect(checks.map((c) => c.when)).toEqual(['before_reveal', 'report']);
    for (const check of checks) {
      expect(check.signature.key).toEqual(simKey);
      expect(await verifyAnswerSignature(check.signature)).toBe(true);
    }
    expect(checks[1]?.signature.requestId).toBe(stored.evidence.answerSignature.requestId);
    const keys = (await s.get('/v1/evidence-keys')).body;
    expect(await verifyEvidence(res.body, keys)).toMatchObject({ ok: true });
    // No code in any kept answer.
    expect(res.text).not.toContain(codeOfCard(cards, cardId).replace(/-/g, ''));
  });

  it('takes an answer signed by another key as a misbehaving issuer: deposit pending, reveal refused', async () => {
    const s = stack.current;
    const sale = await aPaidOrder(s);
    const answerKey = (await (await fetch(`${s.issuerUrl}/_sim/answer-key`)).json()) as IssuerAnswerKey;
    // The brand now expects another issuer key than the one the simulator signs with.
    const otherKey = new SimSigner().publicKey;
    await s.vault.tenants.registerBrand(
      demoBrand(DEMO_GIFT_BRAND, s.issuerUrl, undefined, otherKey),
      'local',
    );
    try {
      const listing = await aListing(s);
      const { code } = await mintCode(s);
      const deposited = await s.post(`/v1/listings/${listing.listingId}/cards`, { cards: [{ code }] });
      expect(deposited.status, deposited.text).toBe(200);
      expect(deposited.body.results[0].outcome).toBe('pending');
      // best-effort would reveal past an unreachable issuer; a badly signed answer stops it.
      const refused = await reveal(s, sale.orderId, sale.buyerId);
      expectProblem(refused, 503, 'dependency-unavailable');
      expect((await orderOf(s, sale.orderId)).state).toBe('paid');
      expect(s.logs.join('\n')).not.toContain(normalizeCode(code));
    } finally {
      await s.vault.tenants.registerBrand(
        demoBrand(DEMO_GIFT_BRAND, s.issuerUrl, undefined, answerKey),
        'local',
      );
    }
  });
});
