import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalize } from '../../shared/evidence/canonical-json.js';
import type { EvidenceBundle } from '../../shared/http/views/evidence-view.js';
import { stripeEvidenceView } from '../../shared/http/views/stripe-evidence-view.js';

const header = Buffer.from(JSON.stringify({ alg: 'ES256', kid: 'kid-1' })).toString('base64url');
const JWS = `${header}.payload.signature`;

function aBundle(overrides: Partial<EvidenceBundle> = {}): EvidenceBundle {
  return {
    format: 'card-vault-evidence/1',
    issuedAt: '2026-12-07T12:00:00.000Z',
    order: {
      orderId: 'ord_1',
      listingId: 'lst_1',
      sellerId: 'seller-1',
      buyerId: 'buyer-42',
      state: 'revealed',
      quantity: 1,
      amount: { amount: 4500, currency: 'EUR' },
      refunded: { amount: 0, currency: 'EUR' },
      cards: [{ cardId: 'crd_1' }],
      createdAt: '2026-12-01T10:00:00.000Z',
      expiresAt: '2026-12-01T10:15:00.000Z',
      paidAt: '2026-12-01T10:01:00.000Z',
      revealedAt: '2026-12-01T10:02:00.000Z',
      buyerMessage: '',
      sellerMessage: '',
      brand: 'steam',
      unitPrice: { amount: 4500, currency: 'EUR' },
      faceValue: { amount: 5000, currency: 'EUR' },
    },
    trailHead: 'h3',
    trail: [
      {
        eventId: 'evt_1',
        type: 'order.placed',
        actor: 'marketplace',
        at: '2026-12-01T10:00:00.000Z',
        hash: 'h1',
      },
      {
        eventId: 'evt_2',
        type: 'payment.received',
        actor: 'marketplace',
        at: '2026-12-01T10:01:00.000Z',
        prevHash: 'h1',
        hash: 'h2',
      },
      {
        eventId: 'evt_3',
        type: 'order.revealed',
        actor: 'buyer',
        at: '2026-12-01T10:02:00.000Z',
        data: { channel: 'hosted_page', buyerContextDigest: 'd1' },
        prevHash: 'h2',
        hash: 'h3',
      },
    ],
    issuerChecks: [
      {
        cardId: 'crd_1',
        when: 'before_reveal',
        checkedAt: '2026-12-01T10:02:00.000Z',
        state: 'active',
        balance: { amount: 5000, currency: 'EUR' },
      },
    ],
    revealContexts: [
      {
        eventId: 'evt_3',
        digest: 'd1',
        state: 'kept',
        source: 'hosted_page',
        context: { ip: '203.0.113.7', userAgent: 'Browser/1', deviceId: 'device-0123456789' },
        salt: 's',
        recordedAt: '2026-12-01T10:02:00.000Z',
        erasedAt: '2028-05-24T10:02:00.000Z',
      },
    ],
    reports: [],
    ...overrides,
  };
}

describe('stripeEvidenceView', () => {
  it('names the address the hosted page saw before one the marketplace reported', () => {
    const observed = aBundle().revealContexts[0];
    if (!observed) throw new Error('the bundle has a context');
    const reported = { ...observed, eventId: 'evt_2', source: 'api' as const, context: { ip: '192.0.2.1' } };
    const { evidence } = stripeEvidenceView(aBundle({ revealContexts: [reported, observed] }), JWS);
    expect(evidence.customer_purchase_ip).toBe('203.0.113.7');
    // Alone, the marketplace's own report is still used.
    expect(
      stripeEvidenceView(aBundle({ revealContexts: [reported] }), JWS).evidence.customer_purchase_ip,
    ).toBe('192.0.2.1');
  });

  it("fills Stripe's dispute evidence fields of a digital good from the bundle", () => {
    const bundle = aBundle();
    const { evidence, bundleSha256, jws } = stripeEvidenceView(bundle, JWS);
    expect(evidence.customer_purchase_ip).toBe('203.0.113.7');
    expect(evidence.service_date).toBe('2026-12-01');
    expect(evidence.product_description).toBe(
      '1 × steam gift card code, face value 50.00 EUR, sold for 45.00 EUR in all; a digital good ' +
        'delivered by a single-use reveal (order ord_1, listing lst_1).',
    );
    expect(evidence.access_activity_log.split('\n')).toEqual([
      '2026-12-01T10:00:00.000Z order.placed by marketplace',
      '2026-12-01T10:01:00.000Z payment.received by marketplace',
      '2026-12-01T10:02:00.000Z order.revealed by buyer via hosted_page from IP 203.0.113.7, ' +
        'user agent "Browser/1", device device-0123456789',
    ]);
    expect(evidence.uncategorized_text).toContain(
      'issuer check (before the reveal): active, balance 50.00 EUR',
    );
    expect(evidence.uncategorized_text).toContain(bundleSha256);
    expect(evidence.uncategorized_text).toContain('kid-1');
    expect(bundleSha256).toBe(createHash('sha256').update(canonicalize(bundle)).digest('hex'));
    expect(jws).toBe(JWS);
  });

  it('fills Visa Compelling Evidence 3.0 disputed_transaction (the account, device and IP of the reveal)', () => {
    const { evidence } = stripeEvidenceView(aBundle(), JWS);
    expect(evidence.enhanced_evidence.visa_compelling_evidence_3.disputed_transaction).toEqual({
      customer_account_id: 'buyer-42',
      customer_device_id: 'device-0123456789',
      customer_purchase_ip: '203.0.113.7',
      merchandise_or_services: 'merchandise',
      product_description: evidence.product_description,
    });
  });

  it('leaves out a device id shorter than CE 3.0 accepts (15 characters)', () => {
    const kept = { eventId: 'evt_3', digest: 'd1', state: 'kept' as const, salt: 's' };
    const short = aBundle({
      revealContexts: [{ ...kept, context: { ip: '203.0.113.7', deviceId: 'dev-1' } }],
    });
    const tx = stripeEvidenceView(short, JWS).evidence.enhanced_evidence.visa_compelling_evidence_3;
    expect(tx.disputed_transaction).not.toHaveProperty('customer_device_id');
  });

  it('an erased context gives no IP and says so in the log; the rest of the evidence stands', () => {
    const erased = aBundle({ revealContexts: [{ eventId: 'evt_3', digest: 'd1', state: 'erased' }] });
    const { evidence } = stripeEvidenceView(erased, JWS);
    expect(evidence).not.toHaveProperty('customer_purchase_ip');
    expect(evidence.enhanced_evidence.visa_compelling_evidence_3.disputed_transaction).not.toHaveProperty(
      'customer_purchase_ip',
    );
    expect(evidence.access_activity_log).toContain(
      'order.revealed by buyer via hosted_page (buyer context erased',
    );
    expect(evidence.service_date).toBe('2026-12-01');
  });

  it("writes amounts in the currency's own minor units (JPY has none)", () => {
    const bundle = aBundle();
    const yen = aBundle({
      order: {
        ...bundle.order,
        amount: { amount: 5000, currency: 'JPY' },
        faceValue: { amount: 5000, currency: 'JPY' },
      },
    });
    expect(stripeEvidenceView(yen, JWS).evidence.product_description).toContain(
      'face value 5000 JPY, sold for 5000 JPY',
    );
  });

  it('names the reports and their decisions with the rationale', () => {
    const report = {
      reportId: 'rpt_1',
      orderId: 'ord_1',
      cardId: 'crd_1',
      buyerId: 'buyer-42',
      reason: 'already_redeemed' as const,
      decision: 'rejected' as const,
      status: 'closed' as const,
      evidence: {
        issuerState: 'redeemed' as const,
        redeemedAt: '2026-12-01T10:30:00.000Z',
        revealedAt: '2026-12-01T10:02:00.000Z',
        checkedAt: '2026-12-01T11:00:00.000Z',
        rationale: 'redeemed 28 minutes after the reveal',
      },
      createdAt: '2026-12-01T11:00:00.000Z',
    };
    const { evidence } = stripeEvidenceView(aBundle({ reports: [report] as EvidenceBundle['reports'] }), JWS);
    expect(evidence.uncategorized_text).toContain(
      '- report rpt_1 on 2026-12-01T11:00:00.000Z: rejected (redeemed 28 minutes after the reveal)',
    );
  });
});
