/**
 * Who revealed: what the request that got the code said of the buyer. The hosted page records
 * the connection's address and user agent (in AWS from API Gateway's request context, never from
 * a header a client can set); the marketplace may send all four with an API reveal. Kept apart
 * from the trail, because it is personal data with an end: the trail's `order.revealed` carries
 * only a salted digest of it (so the chain's hash covers it), and the context itself, with its
 * salt, is erased EVIDENCE_RETENTION_DAYS after the reveal. Then the digest proves nothing about
 * anyone (the salt is gone too) and every hash of the trail still verifies.
 */
export interface BuyerContext {
  readonly ip?: string;
  readonly userAgent?: string;
  readonly sessionId?: string;
  readonly deviceId?: string;
}

export const buyerContextSources = ['hosted_page', 'api'] as const;
export type BuyerContextSource = (typeof buyerContextSources)[number];

/** The stored context of one reveal (or re-delivery): the order's event names it by `digest`. */
export interface RevealContextRecord {
  readonly tenantId: string;
  readonly orderId: string;
  /** SHA-256 (hex) of the RFC 8785 form of `{ context, salt }`: the event's `buyerContextDigest`. */
  readonly digest: string;
  /** 32 random hex characters: without it an IPv4 address could be found from its digest by trying them all. */
  readonly salt: string;
  readonly source: BuyerContextSource;
  readonly context: BuyerContext;
  readonly recordedAt: string;
  /** When it is erased (DynamoDB's TTL deletes the item; reads ignore it from then on). */
  readonly erasedAt: string;
}

/** The context with its empty fields left out; undefined when nothing is left. */
export function presentContext(context: BuyerContext | undefined): BuyerContext | undefined {
  if (context === undefined) return undefined;
  const kept: { -readonly [K in keyof BuyerContext]: string } = {};
  for (const key of ['ip', 'userAgent', 'sessionId', 'deviceId'] as const) {
    const value = context[key];
    if (value !== undefined && value !== '') kept[key] = value;
  }
  return Object.keys(kept).length > 0 ? kept : undefined;
}

/** The instant a context recorded at `recordedAt` is erased. */
export function contextErasedAt(recordedAt: Date, retentionDays: number): Date {
  return new Date(recordedAt.getTime() + retentionDays * 86_400_000);
}
