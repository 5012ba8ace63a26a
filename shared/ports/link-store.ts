import type { Link } from '../domain/link.js';
import type { Page, PageRequest } from './page.js';

/** What a tenant's list of links shows of each (never its token or the page's nonce). */
export type LinkRow = Pick<Link, 'linkId' | 'kind' | 'subjectId' | 'createdAt' | 'expiresAt'> &
  Pick<Link, 'revokedAt' | 'createdByKeyId'>;

/** Which of a tenant's links to list; `active`: unrevoked and unexpired at `now` (or the others). */
export interface LinkFilter {
  readonly subjectId?: string;
  readonly createdByKeyId?: string;
  readonly active?: { readonly is: boolean; readonly now: string };
}

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
  /**
   * A tenant's links, oldest first, those matching `filter`. A page may hold fewer than `limit`
   * rows when a filter skips many; `nextCursor` (a link id, rebuilt inside the tenant) goes on.
   */
  listLinks(tenantId: string, filter: LinkFilter, page: PageRequest): Promise<Page<LinkRow>>;
  /**
   * Counts one more wrong PIN on a PIN reveal link, in one conditional write (on the pointer, which
   * the reveal function may write): the count after it, or undefined when `max` are already counted
   * (the link is locked) or the link is unknown. Concurrent wrong PINs never pass `max`, and exactly
   * one of them gets `max` back: the one that locks the link.
   */
  claimPinFailure(tenantId: string, linkId: string, max: number): Promise<number | undefined>;
  /** The wrong PINs counted on a link so far (0 for none, or an unknown link). */
  pinFailures(tenantId: string, linkId: string): Promise<number>;
  /** The re-deliveries counted on a link so far (0 for none, or an unknown link). */
  redeliveries(tenantId: string, linkId: string): Promise<number>;
}
