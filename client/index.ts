/**
 * The typed card-vault client for marketplaces (`@card-vault/client`): one method per operation
 * of `/openapi.json` (generated into ./generated.ts) and a `for await` helper per paged list,
 * problems as `CardVaultProblem` with a typed `code` (`isProblem` narrows it), lost answers as
 * `CardVaultConnectionError` / `CardVaultTimeoutError`, automatic Idempotency-Keys (a stable one
 * for reveals), retries on `concurrent-update` and 503 that follow `Retry-After`, `verifyWebhook`
 * for the receiving end, and `verifyEvidence` for an evidence bundle (WebCrypto only). No runtime
 * dependency: `fetch`, WebCrypto and, for `verifyWebhook`, `node:crypto`. docs/client.md.
 *
 *   const vault = new CardVaultClient({ baseUrl, apiKey, timeoutMs: 10_000 });
 *   const order = await vault.placeOrder({ listingId, buyerId });
 *   try { await vault.recordPayment({ orderId: order.orderId }, { paymentRef, amount }) }
 *   catch (e) { if (isProblem(e, 'order-expired')) ... }
 */
import type { ApiRequest, CallOptions, ClientOptions, Transport } from './call-options.js';
import { CardVaultOperations, type OperationId, operations } from './generated.js';
import { fetchTransport } from './transport.js';

export class CardVaultClient extends CardVaultOperations {
  private readonly transport: Transport;

  constructor(options: ClientOptions) {
    super();
    this.transport = fetchTransport(options);
  }

  protected async send<T>(
    operation: OperationId,
    request: ApiRequest,
    options: CallOptions = {},
  ): Promise<T> {
    const key = options.idempotencyKey ?? (await stableKey(operation, request));
    return this.transport.send<T>(operations[operation], request, {
      ...options,
      ...(key !== undefined ? { idempotencyKey: key } : {}),
    });
  }
}

/**
 * A reveal is one intent per order and buyer: its default Idempotency-Key is derived from both, so
 * a call repeated after a lost answer (a new call of the application, not only the client's own
 * retry) gets the same codes instead of `already-revealed`, within the vault's retry window
 * (REVEAL_RETRY_SECONDS). Hashed: a buyer id may hold characters a header may not.
 */
async function stableKey(operation: OperationId, request: ApiRequest): Promise<string | undefined> {
  if (operation !== 'revealOrder') return undefined;
  const orderId = request.path?.orderId ?? '';
  const buyerId = (request.body as { buyerId?: string } | undefined)?.buyerId ?? '';
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`${orderId}\n${buyerId}`));
  const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  return `reveal-${hex.slice(0, 40)}`;
}

export type { ApiRequest, CallOptions, ClientOptions, OperationSpec, Transport } from './call-options.js';
export {
  CardVaultConnectionError,
  CardVaultProblem,
  type CardVaultProblemOf,
  CardVaultTimeoutError,
  isProblem,
} from './errors.js';
export { CanonicalJsonError, canonicalize } from './evidence/canonical-json.js';
export { type ChainVerdict, chainOrder, verifyTrail } from './evidence/trail-chain.js';
export {
  type EvidenceAnswer,
  type EvidenceProblem,
  type EvidenceVerdict,
  type Jwks,
  verifyEvidence,
} from './evidence/verify-evidence.js';
export type * from './generated.js';
export { CardVaultOperations, operations } from './generated.js';
export { SIGNATURE_HEADER, verifyWebhook, WebhookSignatureError } from './verify-webhook.js';
export type { WebhookEvent, WebhookEventData, WebhookEventOf } from './webhook-event.js';
