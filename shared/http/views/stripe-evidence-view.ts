import { canonicalize } from '../../evidence/canonical-json.js';
import { sha256Hex } from '../../services/hashing.js';
import * as z from '../zod.js';
import type { EvidenceBundle } from './evidence-view.js';

/**
 * An evidence bundle as Stripe's dispute `evidence` parameter (Disputes API, `POST
 * /v1/disputes/{id}`): the text fields a digital good is judged on, and Visa Compelling Evidence
 * 3.0's `disputed_transaction`. Stripe asks CE 3.0 for exactly two prior undisputed charges by
 * their Stripe charge ids; the vault knows neither the charge ids nor (yet) the buyer's other
 * orders, so `prior_undisputed_transactions` is left to the marketplace.
 */
const DisputedTransactionSchema = z.object({
  customer_account_id: z.string().optional(),
  customer_device_id: z.string().optional(),
  customer_purchase_ip: z.string().optional(),
  merchandise_or_services: z.enum(['merchandise', 'services']),
  product_description: z.string(),
});

export const StripeEvidenceSchema = z
  .object({
    evidence: z.object({
      access_activity_log: z.string(),
      product_description: z.string(),
      customer_purchase_ip: z.string().optional(),
      service_date: z.string().optional(),
      uncategorized_text: z.string(),
      enhanced_evidence: z.object({
        visa_compelling_evidence_3: z.object({ disputed_transaction: DisputedTransactionSchema }),
      }),
    }),
    bundleSha256: z.string().openapi({
      description: 'Lower-case hex SHA-256 of the RFC 8785 form of the bundle the `jws` signs.',
    }),
    jws: z
      .string()
      .openapi({ description: 'The signed bundle (as `GET /v1/orders/{orderId}/evidence` answers it).' }),
  })
  .openapi('StripeDisputeEvidence', {
    description:
      "Stripe's dispute `evidence` fields filled from the signed bundle, for the marketplace to send " +
      'with `POST /v1/disputes/{id}`; the text names the bundle by its SHA-256 and says how to verify it.',
  });

export type StripeEvidence = z.infer<typeof StripeEvidenceSchema>;

/** Stripe's own bound on a text field is generous; ours keeps a long trail readable. */
const MAX_TEXT = 20_000;
/** CE 3.0 asks a device id of 15 characters at least (Stripe's `customer_device_id`). */
const MIN_DEVICE_ID = 15;

export function stripeEvidenceView(bundle: EvidenceBundle, jws: string): StripeEvidence {
  const { order } = bundle;
  // The address the vault saw itself (its hosted page) before one the marketplace reported.
  const kept = bundle.revealContexts.filter((c) => c.state === 'kept' && c.context?.ip !== undefined);
  const revealed = kept.find((c) => c.source === 'hosted_page') ?? kept[0];
  const who = revealed?.context;
  const product = productDescription(bundle);
  const bundleSha256 = sha256Hex(canonicalize(bundle));
  const deviceId =
    who?.deviceId !== undefined && who.deviceId.length >= MIN_DEVICE_ID ? who.deviceId : undefined;
  return {
    evidence: {
      access_activity_log: bounded(accessLog(bundle)),
      product_description: product,
      ...(who?.ip !== undefined ? { customer_purchase_ip: who.ip } : {}),
      ...(order.revealedAt !== undefined ? { service_date: order.revealedAt.slice(0, 10) } : {}),
      uncategorized_text: bounded(summary(bundle, bundleSha256, jws)),
      enhanced_evidence: {
        visa_compelling_evidence_3: {
          disputed_transaction: {
            customer_account_id: order.buyerId,
            ...(deviceId !== undefined ? { customer_device_id: deviceId } : {}),
            ...(who?.ip !== undefined ? { customer_purchase_ip: who.ip } : {}),
            merchandise_or_services: 'merchandise',
            product_description: product,
          },
        },
      },
    },
    bundleSha256,
    jws,
  };
}

function productDescription({ order }: EvidenceBundle): string {
  const face = order.faceValue ? `, face value ${money(order.faceValue)}` : '';
  return (
    `${order.quantity} × ${order.brand} gift card code${order.quantity > 1 ? 's' : ''}${face}, ` +
    `sold for ${money(order.amount)} in all; a digital good delivered by a single-use reveal ` +
    `(order ${order.orderId}, listing ${order.listingId}).`
  );
}

/** One line per trail event, oldest first, with who revealed where the vault still keeps it. */
function accessLog(bundle: EvidenceBundle): string {
  const byEvent = new Map(bundle.revealContexts.map((c) => [c.eventId, c]));
  return bundle.trail
    .map((e) => {
      const channel = typeof e.data?.channel === 'string' ? ` via ${e.data.channel}` : '';
      const c = byEvent.get(e.eventId);
      const who =
        c === undefined
          ? ''
          : c.state === 'erased'
            ? ' (buyer context erased after its retention)'
            : ` from ${[
                c.context?.ip && `IP ${c.context.ip}`,
                c.context?.userAgent && `user agent "${c.context.userAgent}"`,
                c.context?.sessionId && `session ${c.context.sessionId}`,
                c.context?.deviceId && `device ${c.context.deviceId}`,
              ]
                .filter(Boolean)
                .join(', ')}`;
      return `${e.at} ${e.type} by ${e.actor}${channel}${who}`;
    })
    .join('\n');
}

function summary(bundle: EvidenceBundle, sha: string, jws: string): string {
  const { order } = bundle;
  const kid = (
    JSON.parse(Buffer.from(jws.split('.')[0] ?? '', 'base64url').toString('utf8')) as { kid?: string }
  ).kid;
  const checks = bundle.issuerChecks.map(
    (c) =>
      `- ${c.checkedAt} issuer check (${c.when === 'before_reveal' ? 'before the reveal' : 'on a report'}): ` +
      `${c.state}${c.balance ? `, balance ${money(c.balance)}` : ''}${c.lastUsedAt ? `, last used ${c.lastUsedAt}` : ''}`,
  );
  const reports = bundle.reports.map(
    (r) =>
      `- report ${r.reportId} on ${r.createdAt}: ${r.decision} (${r.evidence.rationale})` +
      (r.settlement ? `; settled ${r.settlement.outcome} at ${r.settlement.at}` : ''),
  );
  return [
    `The buyer (${order.buyerId}) paid at ${order.paidAt ?? 'n/a'} and revealed the code at ${order.revealedAt ?? 'never'}.`,
    `Before showing it, the vault asked the card's issuer whether the code was still unused:`,
    ...(checks.length > 0 ? checks : ['- no issuer check recorded']),
    ...(reports.length > 0 ? ['Reports by the buyer and their decisions:', ...reports] : []),
    `Order state now: ${order.state}.`,
    '',
    `This is drawn from a signed evidence bundle (SHA-256 ${sha}), ES256 key ${kid ?? 'n/a'}: every event ` +
      'of the order carries the SHA-256 of the one before it, so an edited, removed or reordered event ' +
      "breaks the chain. The signature is checked with the vault's published keys (JWKS) and any JOSE library.",
  ].join('\n');
}

function money(m: { amount: number; currency: string }): string {
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency: m.currency }).resolvedOptions()
      .maximumFractionDigits ?? 2;
  return `${(m.amount / 10 ** digits).toFixed(digits)} ${m.currency}`;
}

function bounded(text: string): string {
  return text.length <= MAX_TEXT ? text : `${text.slice(0, MAX_TEXT - 1)}…`;
}
