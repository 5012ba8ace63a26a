/** What a hosted link opens: the buyer's reveal page for an order, or the seller's deposit page for a listing. */
export const linkKinds = ['reveal', 'deposit'] as const;
export type LinkKind = (typeof linkKinds)[number];

/** Which path revealed an order: the marketplace's API call, or the buyer on a hosted reveal page. */
export const revealChannels = ['api', 'hosted_page'] as const;
export type RevealChannel = (typeof revealChannels)[number];

/**
 * What a reveal link asks before it reveals, besides its button: `pin`, a 6-digit PIN the
 * marketplace shows its buyer in its own app (issue 20, item 4): a scanner that presses the button
 * or whoever holds a forwarded URL has no PIN. Links without `confirm` keep the button alone.
 */
export const linkConfirms = ['pin'] as const;
export type LinkConfirm = (typeof linkConfirms)[number];

/** Wrong PINs a link takes: the fifth locks it for good (a `link.locked` line and webhook). */
export const PIN_TRIES = 5;

/** A PIN as the page takes it: six digits, nothing else. */
export const isPinShape = (pin: string) => /^[0-9]{6}$/.test(pin);

/** Default lifetimes: a buyer may open the reveal link for a day, a seller's deposit session is short. */
export const DEFAULT_LINK_SECONDS: Record<LinkKind, number> = { reveal: 24 * 3600, deposit: 3600 };
/** The longest lifetime a marketplace may ask for: a link is a bearer secret. */
export const MAX_LINK_SECONDS = 7 * 24 * 3600;

/**
 * A hosted-page link. Only the SHA-256 of its token is stored: the token is the URL's path,
 * shown once to the marketplace. `nonce` is the page's CSRF value, sent back by its forms.
 */
export interface Link {
  readonly linkId: string;
  readonly tenantId: string;
  /** The marketplace's name as the page shows it, kept from when the link was made. */
  readonly tenantName: string;
  readonly kind: LinkKind;
  readonly tokenHash: string;
  /** The order (reveal) or listing (deposit) the link opens. */
  readonly subjectId: string;
  /** The buyer (reveal) or seller (deposit) the link acts for. */
  readonly partyId: string;
  readonly nonce: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly revokedAt?: string;
  /** An optional logo on the marketplace's own origin (https), shown on the page. */
  readonly logoUrl?: string;
  /** The API key that made it: listed by it, and revoked with it on request (issue 20). */
  readonly createdByKeyId?: string;
  /** `pin`: the page asks for the link's PIN before revealing, or showing again. */
  readonly confirm?: LinkConfirm;
  /** The PIN's MAC under the vault's link key (never the PIN: six digits are guessed offline). */
  readonly pinHash?: string;
}

/** Why a link opens nothing: the same page for all three, so a guess learns nothing more. */
export function isLinkUsable(link: Link | undefined, now: Date): link is Link {
  return link !== undefined && link.revokedAt === undefined && Date.parse(link.expiresAt) > now.getTime();
}
