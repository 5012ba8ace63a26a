import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { DependencyUnavailableError, NotFoundError } from '../domain/errors.js';
import {
  DEFAULT_LINK_SECONDS,
  isLinkUsable,
  isPinShape,
  type Link,
  type LinkConfirm,
  type LinkKind,
  PIN_TRIES,
} from '../domain/link.js';
import type { Listing } from '../domain/listing.js';
import type { Order } from '../domain/order.js';
import type { OrderTransitions } from '../domain/order-transitions.js';
import type { LinkRow } from '../ports/link-store.js';
import type { Page, PageRequest } from '../ports/page.js';
import { sha256Hex } from './hashing.js';
import type { OrderRunner } from './order-runner.js';
import type { CoreDeps } from './vault-deps.js';

/** A tenant's list of links, by what they open, who made them and whether they still open. */
export interface LinkQuery {
  readonly subjectId?: string;
  readonly createdByKeyId?: string;
  readonly active?: boolean;
}

export interface LinkOptions {
  readonly expiresInSeconds?: number;
  readonly logoUrl?: string;
  /** The API key asking for it. */
  readonly createdByKeyId?: string;
  /** Reveal links: `pin` makes the page ask for a PIN, returned once in `IssuedLink.pin`. */
  readonly confirm?: LinkConfirm;
}

/** A link as made: the token is shown here once and never stored. */
export interface IssuedLink {
  readonly link: Link;
  readonly token: string;
  /** A `confirm: "pin"` link's PIN: shown here once, kept only as a MAC. */
  readonly pin?: string;
}

/** What a press on a reveal link may do, as its PIN decides: reveal, or say why not. */
export type PinGate =
  | { readonly kind: 'open' }
  | { readonly kind: 'missing'; readonly left: number }
  | { readonly kind: 'wrong'; readonly left: number }
  | { readonly kind: 'locked' };

/** A usable link with what its page shows. */
export type OpenedLink =
  | {
      readonly kind: 'reveal';
      readonly link: Link;
      readonly order: Order;
      readonly listing?: Listing;
      /** Revealed through this link: its button shows the code again until then (REVEAL_RETRY_SECONDS). */
      readonly revealAgainUntil?: string;
      /** With `revealAgainUntil`: how many more times it may (LINK_REDELIVERIES less those counted). */
      readonly redeliveriesLeft?: number;
      /** Revealed through this link, within the window, but it has shown the code again as often as it may. */
      readonly redeliveriesSpent?: true;
      /** A PIN link: the wrong PINs it still takes (0: locked). */
      readonly pinTriesLeft?: number;
    }
  | { readonly kind: 'deposit'; readonly link: Link; readonly listing: Listing };

/** 256 random bits: not guessable, and only its hash is kept. */
const newToken = () => randomBytes(32).toString('base64url');

/** A token is 43 base64url characters; anything else is not looked up at all. */
export const isLinkToken = (token: string) => /^[A-Za-z0-9_-]{43}$/.test(token);

/**
 * Hosted reveal and deposit links: a marketplace asks for one for its buyer or seller, and the
 * person opens it on the vault's own page, so the code never passes through the marketplace.
 */
export class LinkService {
  constructor(
    private readonly deps: Pick<CoreDeps, 'clock' | 'ids' | 'settings' | 'linkKeys'> & {
      readonly stores: Pick<CoreDeps['stores'], 'catalog' | 'tenants' | 'links' | 'orders'>;
    },
    /** Orders are read as of now (a due expiry or release applied first), as every order read is. */
    private readonly orders: Pick<OrderRunner, 'load'>,
    /** Builds the `link.locked` trail line. */
    private readonly transitions: Pick<OrderTransitions, 'linkLocked'>,
  ) {}

  async createRevealLink(tenantId: string, orderId: string, buyerId: string, options: LinkOptions) {
    const order = await this.orders.load(tenantId, orderId);
    if (order.buyerId !== buyerId) throw new NotFoundError('order not found', { orderId });
    return this.issue(tenantId, 'reveal', orderId, buyerId, options);
  }

  async createDepositLink(tenantId: string, listingId: string, sellerId: string, options: LinkOptions) {
    const listing = await this.deps.stores.catalog.getListing(tenantId, listingId);
    if (!listing || listing.sellerId !== sellerId)
      throw new NotFoundError('listing not found', { listingId });
    return this.issue(tenantId, 'deposit', listingId, sellerId, options);
  }

  async get(tenantId: string, linkId: string): Promise<Link> {
    const link = await this.deps.stores.links.getLink(tenantId, linkId);
    if (!link) throw new NotFoundError('link not found', { linkId });
    return link;
  }

  /** The tenant's links, oldest first, paged (see LinkStore.listLinks). */
  list(tenantId: string, query: LinkQuery, page: PageRequest): Promise<Page<LinkRow>> {
    const now = this.deps.clock.now().toISOString();
    return this.deps.stores.links.listLinks(
      tenantId,
      {
        ...(query.subjectId === undefined ? {} : { subjectId: query.subjectId }),
        ...(query.createdByKeyId === undefined ? {} : { createdByKeyId: query.createdByKeyId }),
        ...(query.active === undefined ? {} : { active: { is: query.active, now } }),
      },
      page,
    );
  }

  /**
   * Revokes every link the key made that still opens, page by page: what revoking a leaked key
   * with `revoke=links` ends. The ids revoked, for the caller's record.
   */
  async revokeMadeBy(tenantId: string, keyId: string): Promise<string[]> {
    const revoked: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.list(
        tenantId,
        { createdByKeyId: keyId, active: true },
        { limit: 100, ...(cursor ? { cursor } : {}) },
      );
      for (const row of page.items) {
        await this.revoke(tenantId, row.linkId);
        revoked.push(row.linkId);
      }
      cursor = page.nextCursor;
    } while (cursor);
    return revoked;
  }

  async revoke(tenantId: string, linkId: string): Promise<Link> {
    const link = await this.deps.stores.links.revoke(tenantId, linkId, this.deps.clock.now().toISOString());
    if (!link) throw new NotFoundError('link not found', { linkId });
    return link;
  }

  /**
   * The link behind a token if it is known, unexpired and not revoked, with what its page shows
   * to this browser: "show the code again" only where the code was revealed (its cookie) or, on a
   * PIN link, to whoever has the PIN (asked at the press).
   */
  async open(
    token: string,
    browser: { readonly revealCookie?: string } = {},
  ): Promise<OpenedLink | undefined> {
    if (!isLinkToken(token)) return undefined;
    const link = await this.deps.stores.links.findByTokenHash(sha256Hex(token));
    if (!isLinkUsable(link, this.deps.clock.now())) return undefined;
    if (link.kind === 'deposit') {
      const listing = await this.deps.stores.catalog.getListing(link.tenantId, link.subjectId);
      return listing ? { kind: 'deposit', link, listing } : undefined;
    }
    const order = await this.orders.load(link.tenantId, link.subjectId).catch((error: unknown) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
    if (!order) return undefined;
    const listing = await this.deps.stores.catalog.getListing(link.tenantId, order.listingId);
    const again = await this.revealedHere(link, order, browser.revealCookie);
    const pin =
      link.confirm === 'pin'
        ? {
            pinTriesLeft: Math.max(
              0,
              PIN_TRIES - (await this.deps.stores.links.pinFailures(link.tenantId, link.linkId)),
            ),
          }
        : {};
    return { kind: 'reveal', link, order, ...(listing ? { listing } : {}), ...again, ...pin };
  }

  /**
   * A press on a reveal link, before anything is opened: a link without `confirm` opens; a PIN
   * link opens with its PIN only. No PIN is not counted (a scanner pressing the button locks
   * nothing); a wrong one is, in one conditional write, and the one that reaches PIN_TRIES locks
   * the link and writes `link.locked` on the order's trail (its webhook).
   */
  async checkPin(opened: Extract<OpenedLink, { kind: 'reveal' }>, pin: string | undefined): Promise<PinGate> {
    const { link, order } = opened;
    if (link.confirm !== 'pin') return { kind: 'open' };
    const left = opened.pinTriesLeft ?? 0;
    if (left <= 0) return { kind: 'locked' };
    if (pin === undefined || pin.trim() === '') return { kind: 'missing', left };
    const given = isPinShape(pin.trim()) ? await this.pinHash(link.tokenHash, pin.trim()) : '';
    if (link.pinHash !== undefined && sameHex(given, link.pinHash)) return { kind: 'open' };
    const counted = await this.deps.stores.links.claimPinFailure(link.tenantId, link.linkId, PIN_TRIES);
    if (counted === undefined) return { kind: 'locked' };
    if (counted < PIN_TRIES) return { kind: 'wrong', left: PIN_TRIES - counted };
    await this.deps.stores.orders.appendEvent(
      link.tenantId,
      this.transitions.linkLocked(order, this.deps.clock.now(), link.linkId),
    );
    return { kind: 'locked' };
  }

  /** A PIN's MAC under the link key, bound to its link: a table reader cannot try the million PINs. */
  private async pinHash(tokenHash: string, pin: string): Promise<string> {
    const keys = this.deps.linkKeys;
    if (!keys) throw new DependencyUnavailableError('this function derives no link keys');
    return keys.mac(`pin:${tokenHash}:${pin}`);
  }

  /**
   * The Idempotency-Key a reveal link's button presses with: one per link, so a press again (a lost
   * answer, a resubmitted form) gets the code again within REVEAL_RETRY_SECONDS, as an API client's
   * retry with its key does. A MAC of the token's hash under the vault's link key: whoever holds the
   * URL (a marketplace, a forwarded chat) cannot compute it, so cannot re-deliver the code through
   * the API with it, and neither can a reader of the table.
   */
  async revealKey(link: Link): Promise<string> {
    const keys = this.deps.linkKeys;
    if (!keys) throw new DependencyUnavailableError('this function derives no link keys');
    return `hosted-page:${await keys.mac(`reveal-key:${link.tokenHash}`)}`;
  }

  /**
   * What the browser that revealed through a link keeps (an HttpOnly cookie scoped to the link's
   * path): a MAC of the token's hash under the link key, so neither the URL nor the table gives it.
   */
  async revealCookie(link: Link): Promise<string> {
    const keys = this.deps.linkKeys;
    if (!keys) throw new DependencyUnavailableError('this function derives no link keys');
    return keys.mac(`reveal-cookie:${link.tokenHash}`);
  }

  /** The cookie for a reveal at `revealedAt`, kept as long as its re-show window (at least a second). */
  async revealCookieFor(link: Link, revealedAt: string): Promise<{ value: string; maxAge: number }> {
    const until = Date.parse(this.revealAgainUntil(revealedAt));
    const maxAge = Math.max(1, Math.ceil((until - this.deps.clock.now().getTime()) / 1000));
    return { value: await this.revealCookie(link), maxAge };
  }

  /** Until when a reveal at `revealedAt` may be had again with its key (RevealService's rule). */
  revealAgainUntil(revealedAt: string): string {
    return new Date(Date.parse(revealedAt) + this.deps.settings.revealRetrySeconds * 1000).toISOString();
  }

  /** How many more times this link shows the code again: LINK_REDELIVERIES less those it has. */
  async redeliveriesLeft(link: Link): Promise<number> {
    const counted = await this.deps.stores.links.redeliveries(link.tenantId, link.linkId);
    return Math.max(0, this.deps.settings.linkRedeliveries - counted);
  }

  /**
   * Revealed with this link's key and still within the retry window: its button may show it
   * again, while the link's count of re-deliveries is not spent.
   */
  private async revealedHere(
    link: Link,
    order: Order,
    cookie: string | undefined,
  ): Promise<
    Pick<
      Extract<OpenedLink, { kind: 'reveal' }>,
      'revealAgainUntil' | 'redeliveriesLeft' | 'redeliveriesSpent'
    >
  > {
    if (order.revealedAt === undefined) return {};
    if (order.revealKeyHash !== sha256Hex(await this.revealKey(link))) return {};
    const until = this.revealAgainUntil(order.revealedAt);
    if (this.deps.clock.now().getTime() > Date.parse(until)) return {};
    if (link.confirm !== 'pin' && !(cookie !== undefined && sameHex(cookie, await this.revealCookie(link)))) {
      return {};
    }
    const left = await this.redeliveriesLeft(link);
    return left > 0 ? { revealAgainUntil: until, redeliveriesLeft: left } : { redeliveriesSpent: true };
  }

  private async issue(
    tenantId: string,
    kind: LinkKind,
    subjectId: string,
    partyId: string,
    options: LinkOptions,
  ): Promise<IssuedLink> {
    const tenant = await this.deps.stores.tenants.getTenant(tenantId);
    const now = this.deps.clock.now();
    const seconds = options.expiresInSeconds ?? DEFAULT_LINK_SECONDS[kind];
    const token = newToken();
    const tokenHash = sha256Hex(token);
    // A uniform six digits (randomInt has no modulo bias).
    const pin =
      kind === 'reveal' && options.confirm === 'pin'
        ? String(randomInt(0, 1_000_000)).padStart(6, '0')
        : undefined;
    const link: Link = {
      linkId: this.deps.ids.next('lnk', now),
      tenantId,
      tenantName: tenant?.name ?? '',
      kind,
      tokenHash,
      subjectId,
      partyId,
      nonce: randomBytes(18).toString('base64url'),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + seconds * 1000).toISOString(),
      ...(options.logoUrl ? { logoUrl: options.logoUrl } : {}),
      ...(options.createdByKeyId ? { createdByKeyId: options.createdByKeyId } : {}),
      ...(pin === undefined ? {} : { confirm: 'pin' as const, pinHash: await this.pinHash(tokenHash, pin) }),
    };
    await this.deps.stores.links.putLink(link);
    return { link, token, ...(pin === undefined ? {} : { pin }) };
  }
}

/** Equal hex strings, compared in constant time (a PIN's MAC). */
function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
