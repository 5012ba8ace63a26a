import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebhookEvent } from './webhook-event.js';

/**
 * For receivers of card-vault webhooks, with no dependency beyond Node's crypto. Part of the
 * client package; the vault's own code imports it through shared/webhooks/verify-webhook.ts. Stripe's scheme: the `Card-Vault-Signature` header is
 * `t=<unix seconds>,v1=<hex HMAC-SHA-256 of "<t>.<raw body>">`, with one `v1` per signing secret
 * valid at send time (two during the 24 hours after a secret is rolled).
 *
 * Replay protection: a signature older (or newer) than `toleranceSeconds` is refused, so a
 * captured request cannot be replayed later; within the window, de-duplicate on the event's `id`
 * (delivery is at least once, so the same id may arrive twice anyway).
 */
export const SIGNATURE_HEADER = 'Card-Vault-Signature';

export class WebhookSignatureError extends Error {
  override readonly name = 'WebhookSignatureError';
}

/**
 * Checks the signature of a delivery and returns its event. `header` is the
 * `Card-Vault-Signature` value as Node (`req.headers[...]`: `string | string[] | undefined`) or
 * fetch (`headers.get(...)`: `string | null`) gives it; `payload` is the raw body, before any
 * JSON parsing (a re-serialised body no longer matches).
 */
export function verifyWebhook(
  payload: string,
  header: string | readonly string[] | null | undefined,
  secret: string,
  toleranceSeconds = 300,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): WebhookEvent {
  // A header repeated (or split by a proxy) arrives as several values: their parts count alike.
  const value = typeof header === 'string' ? header : (header ?? []).join(',');
  if (!value) throw new WebhookSignatureError('no signature header');
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of value.split(',')) {
    const at = part.indexOf('=');
    const name = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (name === 't' && /^\d+$/.test(value)) timestamp = Number(value);
    else if (name === 'v1' && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === undefined) throw new WebhookSignatureError('no timestamp in the signature header');
  if (signatures.length === 0) throw new WebhookSignatureError('no v1 signature in the signature header');
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
    throw new WebhookSignatureError('timestamp outside the tolerance');
  }
  const expected = createHmac('sha256', secret).update(`${timestamp}.${payload}`).digest();
  // Every candidate is compared in constant time; no early exit tells which one was close.
  let matched = false;
  for (const s of signatures) {
    if (timingSafeEqual(Buffer.from(s, 'hex'), expected)) matched = true;
  }
  if (!matched) throw new WebhookSignatureError('no signature matches the secret');
  // Signed by the vault: its shape is the vault's promise, not checked again here.
  return JSON.parse(payload) as WebhookEvent;
}
