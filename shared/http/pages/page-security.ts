import { timingSafeEqual } from 'node:crypto';
import type { Context } from 'hono';

/**
 * The headers every hosted page carries: never cached (a revealed code must not survive in a
 * cache, nor in the back-forward cache), scripts and styles from this origin only (no inline
 * script or style, no third party), never framed (clickjacking the reveal button), no Referer
 * (the token is in the path). `logoUrl`: the one image allowed from elsewhere, the tenant's logo.
 */
export function setPageHeaders(c: Context, logoUrl?: string): void {
  c.header('Cache-Control', 'no-store');
  c.header('Pragma', 'no-cache');
  c.header(
    'Content-Security-Policy',
    [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      `img-src 'self'${logoUrl ? ` ${new URL(logoUrl).origin}` : ''}`,
      "connect-src 'self'",
      "form-action 'self'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
  );
  c.header('X-Frame-Options', 'DENY');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('X-Robots-Tag', 'noindex, nofollow');
}

/**
 * A POST from a page is honoured only from this origin. Browsers send `Sec-Fetch-Site` on every
 * request (`same-origin` from our own form or script); `Origin` too, but as `null` under our
 * `Referrer-Policy: no-referrer`, so a `null` Origin decides nothing and `Sec-Fetch-Site` must.
 * A request with neither comes from no browser, hence from no other site's page (CSRF needs a
 * victim's browser); the page nonce is required of it all the same.
 */
export function isSameOriginPost(c: Context): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin') return false;
  const origin = c.req.header('origin');
  if (origin === undefined || origin === 'null') return site !== undefined || origin === undefined;
  return origin === new URL(c.req.url).origin;
}

/** The page's nonce, compared in constant time: it is the link's, so another link's nonce fails. */
export function nonceMatches(sent: unknown, expected: string): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
