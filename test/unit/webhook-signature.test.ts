import { describe, expect, it } from 'vitest';
import { signWebhook } from '../../shared/webhooks/sign-webhook.js';
import { verifyWebhook, WebhookSignatureError } from '../../shared/webhooks/verify-webhook.js';

const body = JSON.stringify({
  id: 'evt_1',
  type: 'order.paid',
  created: 1_800_000_000,
  tenant: 't1',
  data: {},
});
const now = 1_800_000_000;
const secret = 'whsec_current';

describe('verifyWebhook', () => {
  it('accepts a body signed with the secret and answers the parsed event', () => {
    const header = signWebhook(body, now, [secret]);
    expect(header).toMatch(/^t=1800000000,v1=[0-9a-f]{64}$/);
    expect(verifyWebhook(body, header, secret, 300, now)).toEqual(JSON.parse(body));
  });

  it('refuses a changed body', () => {
    const header = signWebhook(body, now, [secret]);
    expect(() =>
      verifyWebhook(body.replace('order.paid', 'order.refunded'), header, secret, 300, now),
    ).toThrow(WebhookSignatureError);
  });

  it('refuses a wrong secret', () => {
    const header = signWebhook(body, now, [secret]);
    expect(() => verifyWebhook(body, header, 'whsec_other', 300, now)).toThrow(/no signature matches/);
  });

  it('refuses a timestamp older than the tolerance and accepts one at its edge', () => {
    const header = signWebhook(body, now - 301, [secret]);
    expect(() => verifyWebhook(body, header, secret, 300, now)).toThrow(/tolerance/);
    expect(verifyWebhook(body, signWebhook(body, now - 300, [secret]), secret, 300, now)).toBeTruthy();
  });

  it('refuses a timestamp moved forward after signing (the signature covers it)', () => {
    const header = signWebhook(body, now - 1000, [secret]).replace(`t=${now - 1000}`, `t=${now}`);
    expect(() => verifyWebhook(body, header, secret, 300, now)).toThrow(/no signature matches/);
  });

  it('verifies with either secret while both are valid after a roll', () => {
    const header = signWebhook(body, now, ['whsec_new', 'whsec_old']);
    expect(header.split(',').filter((p) => p.startsWith('v1='))).toHaveLength(2);
    expect(verifyWebhook(body, header, 'whsec_new', 300, now)).toBeTruthy();
    expect(verifyWebhook(body, header, 'whsec_old', 300, now)).toBeTruthy();
    expect(() => verifyWebhook(body, header, 'whsec_gone', 300, now)).toThrow(WebhookSignatureError);
  });

  it('refuses a missing or malformed header', () => {
    expect(() => verifyWebhook(body, undefined, secret, 300, now)).toThrow(/no signature header/);
    expect(() => verifyWebhook(body, 'v1=abc', secret, 300, now)).toThrow(/no timestamp/);
    expect(() => verifyWebhook(body, `t=${now}`, secret, 300, now)).toThrow(/no v1/);
    expect(() => verifyWebhook(body, `t=${now},v1=${'0'.repeat(63)}`, secret, 300, now)).toThrow(/no v1/);
  });
});
