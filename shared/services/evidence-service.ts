import type { RevealContextRecord } from '../domain/buyer-context.js';
import { ConcurrentUpdateError } from '../domain/errors.js';
import type { Order } from '../domain/order.js';
import type { Report } from '../domain/report.js';
import { type TrailLine, trailLine } from '../domain/trail-line.js';
import { canonicalize } from '../evidence/canonical-json.js';
import { chainOrder } from '../evidence/trail-chain.js';
import type { EvidenceJwk, EvidenceSigner } from '../ports/evidence-signer.js';
import type { OrderRunner } from './order-runner.js';
import type { CoreDeps } from './vault-deps.js';

/** What an order's evidence bundle is built from (the bundle's shape is the HTTP layer's view). */
export interface EvidenceFacts {
  readonly order: Order;
  /** The whole trail as the API shows it, in chain order (`chainOrder`). */
  readonly trail: readonly TrailLine[];
  /** Every report of the order's cards, with its decision, rationale and issuer evidence. */
  readonly reports: readonly Report[];
  /** The buyer contexts of the order's reveals not yet erased (EVIDENCE_RETENTION_DAYS). */
  readonly revealContexts: readonly RevealContextRecord[];
  readonly issuedAt: string;
}

/**
 * Builds an order's evidence on request (nothing is stored) and signs it: a JWS compact
 * serialization (RFC 7515) with protected header `{ alg: ES256, kid }` over the RFC 8785 form of
 * the bundle, so whoever holds the JWKS checks it with any JOSE library.
 */
export class EvidenceService {
  constructor(
    private readonly deps: Pick<CoreDeps, 'stores' | 'clock'> & { readonly signer: EvidenceSigner },
    private readonly runner: Pick<OrderRunner, 'load'>,
  ) {}

  async facts(tenantId: string, orderId: string): Promise<EvidenceFacts> {
    // Due transitions first, so the bundle shows the order as of now, as GET /orders/{id} would.
    const order = await this.runner.load(tenantId, orderId);
    const { orders, reports } = this.deps.stores;
    // One instant for the whole bundle: a context erased at it is shown erased, and `issuedAt` says when.
    const now = this.deps.clock.now();
    const [events, found, revealContexts] = await Promise.all([
      orders.listEvents(tenantId, orderId),
      Promise.all(order.cards.map((c) => reports.getReport(tenantId, orderId, c.cardId))),
      orders.listRevealContexts(tenantId, orderId, now),
    ]);
    return {
      order,
      trail: chainOrder(events.map(trailLine), order.trailHead),
      reports: found.filter((r): r is Report => r !== undefined),
      revealContexts,
      issuedAt: now.toISOString(),
    };
  }

  /** The JWS of `bundle` (the view the API answers, signed as it is shown). */
  async sign(bundle: unknown): Promise<string> {
    const kid = await this.deps.signer.currentKeyId();
    const header = base64url(canonicalize({ alg: 'ES256', kid }));
    const payload = base64url(canonicalize(bundle));
    const signed = await this.deps.signer.sign(new TextEncoder().encode(`${header}.${payload}`));
    // The header names the key before signing: a key changed in between would make a JWS no one verifies.
    if (signed.kid !== kid)
      throw new ConcurrentUpdateError('the evidence key changed while signing; try again', {});
    return `${header}.${payload}.${Buffer.from(signed.signature).toString('base64url')}`;
  }

  /** The keys bundles are verified with, as a JWKS (RFC 7517). */
  async keys(): Promise<{ keys: readonly EvidenceJwk[] }> {
    return { keys: await this.deps.signer.publicKeys() };
  }
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
