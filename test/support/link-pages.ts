import { expect } from 'vitest';
import type { TestStack } from './test-stack.js';

/** A page answer, as a browser would get it. */
export interface PageResult {
  readonly status: number;
  readonly headers: Headers;
  readonly html: string;
}

/** What a same-origin browser form POST sends (Chromium: `Origin: null` under no-referrer). */
export const SAME_ORIGIN = { 'sec-fetch-site': 'same-origin', origin: 'null' } as const;

export async function createRevealLink(
  stack: TestStack,
  orderId: string,
  buyerId: string,
  extra: Record<string, unknown> = {},
): Promise<{ url: string; path: string; linkId: string; pin?: string }> {
  const res = await stack.post(`/v1/orders/${orderId}/reveal-links`, { buyerId, ...extra });
  expect(res.status, res.text).toBe(201);
  return {
    url: res.body.url,
    path: new URL(res.body.url).pathname,
    linkId: res.body.linkId,
    ...(res.body.pin === undefined ? {} : { pin: res.body.pin }),
  };
}

export async function createDepositLink(
  stack: TestStack,
  listingId: string,
  sellerId: string,
): Promise<{ url: string; path: string; linkId: string }> {
  const res = await stack.post(`/v1/listings/${listingId}/deposit-links`, { sellerId });
  expect(res.status, res.text).toBe(201);
  return { url: res.body.url, path: new URL(res.body.url).pathname, linkId: res.body.linkId };
}

/**
 * A browser's cookies, as far as the pages use them (issue 20's reveal cookie): each kept under its
 * Path and sent to the paths below it. The helpers share one jar, a single browser, unless given
 * their own (`new CookieJar()`: another browser).
 */
export class CookieJar {
  readonly #cookies = new Map<string, { name: string; value: string; path: string }>();

  take(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const at = pair.indexOf('=');
      const path = attributes.find((a) => /^path=/i.test(a))?.slice(5) ?? '/';
      const name = pair.slice(0, at);
      this.#cookies.set(`${path} ${name}`, { name, value: pair.slice(at + 1), path });
    }
  }

  headerFor(path: string): Record<string, string> {
    const sent = [...this.#cookies.values()].filter((c) => path === c.path || path.startsWith(`${c.path}/`));
    return sent.length === 0 ? {} : { cookie: sent.map((c) => `${c.name}=${c.value}`).join('; ') };
  }
}

const theBrowser = new CookieJar();

/** GET a page with no API key, like a person's browser (or a link-preview bot). */
export async function getPage(
  stack: TestStack,
  path: string,
  headers: Record<string, string> = {},
  jar: CookieJar = theBrowser,
): Promise<PageResult> {
  const res = await fetch(`${stack.apiUrl}${path}`, { headers: { ...jar.headerFor(path), ...headers } });
  jar.take(res.headers);
  return { status: res.status, headers: res.headers, html: await res.text() };
}

/** A form POST as the page's own form sends it (urlencoded), same-origin unless `headers` says otherwise. */
export async function postForm(
  stack: TestStack,
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = SAME_ORIGIN,
  jar: CookieJar = theBrowser,
): Promise<PageResult> {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...jar.headerFor(path), ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  jar.take(res.headers);
  return { status: res.status, headers: res.headers, html: await res.text() };
}

/** The nonce the page's forms carry. */
export function nonceOf(html: string): string {
  const nonce = /name="nonce" value="([^"]+)"/.exec(html)?.[1];
  expect(nonce, 'the page has a form with a nonce').toBeDefined();
  return nonce as string;
}

/** The text of the element with this id (tags stripped), or undefined when there is none. */
export function textOf(html: string, id: string): string | undefined {
  const match = new RegExp(`<(\\w+)[^>]*\\sid="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  return match?.[2]?.replace(/<[^>]+>/g, '').trim();
}

export const hasId = (html: string, id: string) => html.includes(`id="${id}"`);

/** The headers every page must carry (issue 10). */
export function expectPageHeaders(page: PageResult): void {
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  expect(page.headers.get('cache-control')).toBe('no-store');
  expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  expect(page.headers.get('x-content-type-options')).toBe('nosniff');
  const csp = page.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("default-src 'none'");
  expect(csp).not.toContain('unsafe-inline');
  // No inline script or style anywhere: the CSP would block it, and none is needed.
  expect(page.html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
  expect(page.html).not.toMatch(/<style|\sstyle="|\son[a-z]+="/i);
}
