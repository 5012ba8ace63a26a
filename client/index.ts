/**
 * The typed card-vault client for marketplaces: one method per operation of `/openapi.json`
 * (generated into ./generated.ts), problems as `CardVaultProblem` with a typed `code`, automatic
 * Idempotency-Keys on orders and reveals, retries on `concurrent-update` and 503 that follow
 * `Retry-After`, `verifyWebhook` for the receiving end, and `verifyEvidence` for an evidence bundle
 * (WebCrypto only). No dependency beyond `fetch`.
 *
 *   const vault = new CardVaultClient({ baseUrl, apiKey });
 *   const order = await vault.placeOrder({ listingId, buyerId });
 *   try { await vault.recordPayment({ orderId: order.orderId }, { paymentRef, amount }) }
 *   catch (e) { if (e instanceof CardVaultProblem && e.code === 'order-expired') ... }
 */
import { CardVaultOperations, type OperationId, operations, type ProblemCode } from './generated.js';
import { type CallOptions, type ClientOptions, fetchTransport, type Transport } from './transport.js';

export class CardVaultClient extends CardVaultOperations {
  private readonly transport: Transport;

  constructor(options: ClientOptions) {
    super();
    this.transport = fetchTransport(options);
  }

  protected send<T>(
    operation: OperationId,
    request: { path?: Record<string, string>; query?: Record<string, unknown>; body?: unknown },
    options?: CallOptions,
  ): Promise<T> {
    return this.transport.send<T>(operations[operation], request, options);
  }
}

export { canonicalize } from '../shared/evidence/canonical-json.js';
export { type ChainVerdict, chainOrder, verifyTrail } from '../shared/evidence/trail-chain.js';
export {
  type EvidenceAnswer,
  type EvidenceVerdict,
  type Jwks,
  verifyEvidence,
} from '../shared/evidence/verify-evidence.js';
export { SIGNATURE_HEADER, verifyWebhook, WebhookSignatureError } from '../shared/webhooks/verify-webhook.js';
export type * from './generated.js';
export { operations } from './generated.js';
export { type CallOptions, CardVaultProblem, type ClientOptions, type ProblemDocument } from './transport.js';

/** A problem of this API: `code` is one of the codes the document lists. */
export type VaultProblem = import('./transport.js').CardVaultProblem<ProblemCode>;
