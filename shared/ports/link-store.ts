import type { Link } from '../domain/link.js';

/** Hosted-page links, found by the hash of their token (the page) or by id (the marketplace). */
export interface LinkStore {
  putLink(link: Link): Promise<void>;
  findByTokenHash(tokenHash: string): Promise<Link | undefined>;
  getLink(tenantId: string, linkId: string): Promise<Link | undefined>;
  /** Marks the link revoked; undefined when the tenant has no such link. */
  revoke(tenantId: string, linkId: string, at: string): Promise<Link | undefined>;
  /**
   * Counts one more re-delivery of a reveal link, in one conditional write: the count after it, or
   * undefined when `max` are already counted (or the link is unknown). Concurrent claims never pass `max`.
   */
  claimRedelivery(tenantId: string, linkId: string, max: number): Promise<number | undefined>;
  /** The re-deliveries counted on a link so far (0 for none, or an unknown link). */
  redeliveries(tenantId: string, linkId: string): Promise<number>;
}
