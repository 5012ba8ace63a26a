import { timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';

/**
 * The headers every hosted page carries: never cached (a revealed code must not survive in a
 * cache), scripts and styles from this origin only (no inline script, no third party), never
 * framed (clickjacking the reveal button), no Referer (the token is in the path).
 */
export function pageHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const logo = c.get('logoOrigin' as never) as string | undefined;
    c.header('Cache-Control', 'no-store');
    c.header('Pragma', 'no-cache');
    c.header(
      'Content-Security-Policy',
      [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        `img-src 'self'${logo ? ` ${logo}` : ''}`,
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
      ].join('; '),
    );
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Content-Type-Options', 'nosniff');
  };
}

/**
 * A POST from a page is honoured only when it comes from this origin: a browser sends `Origin`
 * (and `Sec-Fetch-Site`) on every form POST, and another site's form gets its own origin there.
 */
export function isSameOriginPost(c: Context): boolean {
  const origin = c.req.header('origin');
  const expected = new URL(c.req.url).origin;
  if (origin !== undefined && origin !== expected) return false;
  const site = c.req.header('sec-fetch-site');
  return site === undefined || site === 'same-origin' || site === 'none';
}

/** The page's nonce, compared in constant time: it is the link's, so another link's nonce fails. */
export function nonceMatches(sent: unknown, expected: string): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
