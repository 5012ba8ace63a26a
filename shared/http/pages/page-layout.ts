import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { PageLang, PageText } from './page-text.js';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

/** Where the pages' only stylesheet and script are served (same origin; the CSP allows nothing else). */
export const PAGE_ASSETS = {
  css: '/links/assets/page.css',
  js: '/links/assets/page.js',
  icon: '/links/assets/favicon.svg',
} as const;

export interface PageFrame {
  readonly lang: PageLang;
  readonly t: PageText;
  /** The link's page (`/links/<token>`), for the language switch and the forms; absent on a 404. */
  readonly path?: string;
  readonly tenantName?: string;
  readonly logoUrl?: string;
}

/**
 * The frame of every page: one stylesheet and one deferred script, both from this origin. `nav`
 * false drops the language switch: the page that shows a code has no link to leave it by.
 */
export function layout(frame: PageFrame, title: string, body: Html, { nav = true } = {}): Html {
  const { t } = frame;
  const brand = frame.tenantName ? frame.tenantName : t.product;
  return html`<!doctype html>
<html lang="${frame.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${title} · ${brand}</title>
<link rel="icon" href="${PAGE_ASSETS.icon}" type="image/svg+xml">
<link rel="stylesheet" href="${PAGE_ASSETS.css}">
<script src="${PAGE_ASSETS.js}" defer></script>
</head>
<body>
<header class="bar">
<span class="tenant">${frame.logoUrl ? html`<img src="${frame.logoUrl}" alt="" width="40" height="40">` : ''}<span id="tenant-name">${brand}</span></span>
${
  frame.path && nav
    ? html`<a id="lang-switch" href="${frame.path}?lang=${t.switchLang}" hreflang="${t.switchLang}" lang="${t.switchLang}">${t.switchTo}</a>`
    : ''
}
</header>
<main>
<h1>${title}</h1>
${body}
</main>
<footer class="muted">${t.product}</footer>
</body>
</html>`;
}

/** The fields every form carries: the link's nonce (CSRF) and the page's language. */
export function formFields(nonce: string, lang: PageLang): Html {
  return html`<input type="hidden" name="nonce" value="${nonce}"><input type="hidden" name="lang" value="${lang}">`;
}

export function invalidPage(frame: PageFrame): Html {
  return layout(
    frame,
    frame.t.invalidTitle,
    html`<section id="invalid-link"><p>${frame.t.invalidBody}</p></section>`,
  );
}

export function refusedPage(frame: PageFrame): Html {
  return layout(
    frame,
    frame.t.refusedTitle,
    html`<section class="notice" id="refused" role="alert"><p>${frame.t.refusedBody}</p></section>`,
  );
}

export function tooManyPage(frame: PageFrame, retryAfterSeconds: number): Html {
  return layout(
    frame,
    frame.t.tooManyTitle,
    html`<section class="notice" id="rate-limited" role="alert"><p>${frame.t.tooManyBody(retryAfterSeconds)}</p></section>`,
  );
}

export function errorPage(frame: PageFrame): Html {
  return layout(
    frame,
    frame.t.errorTitle,
    html`<section class="notice" id="page-error" role="alert"><p>${frame.t.errorBody}</p></section>`,
  );
}
