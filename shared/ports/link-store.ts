import type { Link } from '../domain/link.js';

/** Hosted-page links, found by the hash of their token (the page) or by id (the marketplace). */
export interface LinkStore {
  putLink(link: Link): Promise<void>;
  findByTokenHash(tokenHash: string): Promise<Link | undefined>;
  getLink(tenantId: string, linkId: string): Promise<Link | undefined>;
  /** Marks the link revoked; undefined when the tenant has no such link. */
  revoke(tenantId: string, linkId: string, at: string): Promise<Link | undefined>;
}
