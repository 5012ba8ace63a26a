import { type Context, Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { LinkKind } from '../../domain/link.js';
import type { Logger } from '../../ports/logger.js';
import type { LinkService, OpenedLink } from '../../services/link-service.js';
import type { AppEnv } from '../env.js';
import { errorToProblem } from '../problem.js';
import { type RateLimits, refusal, setRateLimitHeaders } from '../rate-limit.js';
import {
  errorPage,
  type Html,
  invalidPage,
  type PageFrame,
  refusedPage,
  tooManyPage,
} from './page-layout.js';
import { isSameOriginPost, nonceMatches, setPageHeaders } from './page-security.js';
import { chooseLang, pageText } from './page-text.js';

/** A page module: a plain Hono app mounted at the root (pages are not API operations). */
export type PageModule = Hono<AppEnv>;

export const linkPath = (token: string) => `/links/${token}`;

/** The frame a page is drawn in: its language (switch, form field, Accept-Language), tenant and logo. */
export function frameOf(c: Context, opened?: OpenedLink, formLang?: unknown): PageFrame {
  const lang = chooseLang(formLang ?? c.req.query('lang'), c.req.header('accept-language'));
  const token = c.req.param('token');
  return {
    lang,
    t: pageText[lang],
    ...(opened && token ? { path: linkPath(token) } : {}),
    ...(opened?.link.tenantName ? { tenantName: opened.link.tenantName } : {}),
    ...(opened?.link.logoUrl ? { logoUrl: opened.link.logoUrl } : {}),
  };
}

/** Every page leaves through here, so none lacks the headers (no-store, CSP, no framing, no referrer). */
export async function sendPage(c: Context, frame: PageFrame, page: Html, status: ContentfulStatusCode = 200) {
  setPageHeaders(c, frame.logoUrl);
  return c.html(await page, status);
}

/** JSON for page.js (the deposit batches), under the same headers as the pages. */
export function sendPageJson(
  c: Context,
  frame: PageFrame,
  body: unknown,
  status: ContentfulStatusCode = 200,
) {
  setPageHeaders(c, frame.logoUrl);
  return c.json(body, status);
}

/** Unknown, expired, revoked, malformed or of another kind: one page, so a guess learns nothing. */
export const sendInvalid = (c: Context) => sendPage(c, frameOf(c), invalidPage(frameOf(c)), 404);

/**
 * The cookie the browser that revealed through a link gets (issue 20): only it is offered "show the
 * code again" on a link without a PIN. Scoped to the link's path, so one link's never goes to another.
 */
export const REVEAL_COOKIE = 'cv_reveal';

/** The link behind the path's token, if usable and of this kind, as this browser sees it. */
export async function openLink(c: Context, links: LinkService, kind?: LinkKind) {
  const opened = await links.open(c.req.param('token') ?? '', { revealCookie: getCookie(c, REVEAL_COOKIE) });
  return opened && (kind === undefined || opened.kind === kind) ? opened : undefined;
}

/**
 * Hands the revealing browser its cookie until the re-show window ends: HttpOnly (no script reads
 * it), SameSite=Strict (no other site's form sends it), Secure but on loopback (the local stack's
 * plain http), and for this link's path only.
 */
export function setRevealCookie(
  c: Context,
  cookie: { readonly value: string; readonly maxAge: number },
): void {
  const hostname = new URL(c.req.url).hostname;
  const loopback = hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
  setCookie(c, REVEAL_COOKIE, cookie.value, {
    httpOnly: true,
    secure: !loopback,
    sameSite: 'Strict',
    path: `/links/${c.req.param('token') ?? ''}`,
    maxAge: cookie.maxAge,
  });
}

export type FormFields = Record<string, string | File | (string | File)[]>;

/**
 * A form POST's fields, once its origin and the link's nonce are checked; undefined when refused
 * (nothing is done then). urlencoded and multipart bodies alike; anything else carries no nonce.
 */
export async function acceptedForm(c: Context, opened: OpenedLink): Promise<FormFields | undefined> {
  if (!isSameOriginPost(c)) return undefined;
  const fields = (await c.req.parseBody({ all: true }).catch(() => ({}))) as FormFields;
  return nonceMatches(fields.nonce, opened.link.nonce) ? fields : undefined;
}

/**
 * A link's POST draws on the link's own bucket, then the tenant's (RateLimitService.admitLink):
 * over either, nothing is done and the page says when to try again (429, Retry-After). Page
 * answers carry the RateLimit fields as the API's do. `json`: page.js's batches get JSON.
 */
export async function limitLinkPost(
  c: Context,
  limits: RateLimits,
  opened: OpenedLink,
  json = false,
): Promise<Response | undefined> {
  const states = await limits.admitLink(opened.link.tenantId, opened.link.linkId);
  setRateLimitHeaders(c, states);
  const refused = refusal(states);
  if (!refused) return undefined;
  c.header('Retry-After', String(refused.retryAfterSeconds));
  const frame = frameOf(c, opened);
  if (json) return sendPageJson(c, frame, { error: frame.t.tooManyBody(refused.retryAfterSeconds) }, 429);
  return sendPage(c, frame, tooManyPage(frame, refused.retryAfterSeconds), 429);
}

export const sendRefused = (c: Context, frame: PageFrame) => sendPage(c, frame, refusedPage(frame), 403);

export const field = (fields: FormFields, name: string): string | undefined => {
  const value = fields[name];
  return typeof value === 'string' ? value : undefined;
};

/**
 * A page module's app. A fault answers the error page with the status a problem would have
 * (logged the same way: by route pattern, never the path, which holds the token).
 */
export function pageApp(logger: Logger): PageModule {
  const app = new Hono<AppEnv>();
  app.onError(async (error, c) => {
    const problem = errorToProblem(error, c, logger);
    const frame = frameOf(c);
    return sendPage(c, frame, errorPage(frame), problem.status as ContentfulStatusCode);
  });
  return app;
}
