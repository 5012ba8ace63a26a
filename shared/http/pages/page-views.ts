import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { DepositResult } from '../../services/deposit-service.js';
import type { OpenedLink } from '../../services/link-service.js';
import type { Revelation } from '../../services/reveal-service.js';
import type { PageLang, PageText } from './page-text.js';

type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

export interface PageFrame {
  readonly lang: PageLang;
  readonly t: PageText;
  /** The page's own path, for the language switch. */
  readonly path: string;
  readonly logoUrl?: string | undefined;
}

/** The frame of every page: one stylesheet and one script, both from this origin. */
export function layout(frame: PageFrame, title: string, body: Html): Html {
  const other: PageLang = frame.lang === 'zh-CN' ? 'en' : 'zh-CN';
  return html`<!doctype html>
<html lang="${frame.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<title>${title} · ${frame.t.title}</title>
<link rel="stylesheet" href="/assets/page.css">
<script src="/assets/page.js" defer></script>
</head>
<body>
<main>
<header>
${frame.logoUrl ? html`<img src="${frame.logoUrl}" alt="">` : html`<span>${frame.t.title}</span>`}
<a href="${frame.path}?lang=${other}" hreflang="${other}" lang="${other}">${frame.t.switchTo}</a>
</header>
<h1>${title}</h1>
${body}
</main>
</body>
</html>`;
}

const money = (m: { amount: number; currency: string }) => `${(m.amount / 100).toFixed(2)} ${m.currency}`;

function hidden(nonce: string, lang: PageLang) {
  return html`<input type="hidden" name="nonce" value="${nonce}"><input type="hidden" name="lang" value="${lang}">`;
}

export function invalidPage(frame: PageFrame): Html {
  return layout(frame, frame.t.invalidTitle, html`<section><p>${frame.t.invalidBody}</p></section>`);
}

export function refusedPage(frame: PageFrame): Html {
  return layout(
    frame,
    frame.t.refusedTitle,
    html`<section class="notice"><p>${frame.t.refusedBody}</p></section>`,
  );
}

export function errorPage(frame: PageFrame, detail?: string): Html {
  return layout(
    frame,
    frame.t.errorTitle,
    html`<section class="notice"><p>${detail ?? frame.t.errorBody}</p></section>`,
  );
}

function orderSummary(t: PageText, opened: Extract<OpenedLink, { kind: 'reveal' }>) {
  const { order, listing } = opened;
  return html`<section aria-labelledby="summary-title">
<h2 id="summary-title">${t.orderTitle}</h2>
<dl>
${listing?.title ? html`<dt>${t.item}</dt><dd>${listing.title}</dd>` : ''}
<dt>${t.brand}</dt><dd>${order.brand}</dd>
<dt>${t.quantity}</dt><dd>${order.quantity}</dd>
<dt>${t.amount}</dt><dd>${money(order.amount)}</dd>
</dl>
</section>`;
}

/** What a reveal link shows on GET: the summary and, while it can, the button. Never a code. */
export function revealPage(
  frame: PageFrame,
  opened: Extract<OpenedLink, { kind: 'reveal' }>,
  action: string,
  notice?: string,
): Html {
  const { t } = frame;
  const { order, link } = opened;
  let body: Html;
  if (order.revealedAt !== undefined) {
    body = html`<section class="ok"><p>${t.revealedAt} <time datetime="${order.revealedAt}">${order.revealedAt}</time></p>
<p>${t.alreadyRevealed}</p></section>
${notice ? html`<section class="ok" role="status"><p>${notice}</p></section>` : ''}
<section aria-labelledby="report-title">
<h2 id="report-title">${t.reportTitle}</h2>
<form method="post" action="${action}/report">
${hidden(link.nonce, frame.lang)}
<label for="card">${t.reportCard}</label>
<select id="card" name="cardId">
${order.cards.map((c, i) => html`<option value="${c.cardId}">${i + 1} · ••••${c.last4}</option>`)}
</select>
<p><button type="submit" class="secondary">${t.reportButton}</button></p>
</form>
</section>`;
  } else if (order.state === 'refunded') {
    body = html`<section class="notice" role="alert"><p>${order.refundReason === 'seller_suspended' ? t.suspendedRefund : t.refunded}</p></section>`;
  } else if (order.state === 'paid' || order.state === 'released') {
    body = html`<form method="post" action="${action}/reveal">
${hidden(link.nonce, frame.lang)}
<p class="muted">${t.revealNote}</p>
<button type="submit">${t.revealButton}</button>
</form>`;
  } else {
    body = html`<section class="notice"><p>${t.notPaid}</p></section>`;
  }
  return layout(frame, t.orderTitle, html`${orderSummary(t, opened)}${body}`);
}

/** The one page that carries codes: the answer to the reveal button, never stored or cached. */
export function revealedPage(
  frame: PageFrame,
  opened: Extract<OpenedLink, { kind: 'reveal' }>,
  revelation: Revelation,
): Html {
  const { t } = frame;
  const cards = revelation.cards.map(
    (card, i) => html`<section aria-label="${t.code} ${i + 1}">
<p><strong>${t.code}</strong></p>
<p class="code" id="code-${i}">${card.code}</p>
<p><button type="button" class="secondary" data-copy="code-${i}" data-copied="${t.copied}" hidden>${t.copy}</button></p>
${
  card.pin !== undefined
    ? html`<p><strong>${t.pin}</strong></p><p class="code" id="pin-${i}">${card.pin}</p>
<p><button type="button" class="secondary" data-copy="pin-${i}" data-copied="${t.copied}" hidden>${t.copy}</button></p>`
    : ''
}
</section>`,
  );
  return layout(
    frame,
    t.yourCode,
    html`${cards}
<section class="ok"><p>${t.hint(opened.order.brand)}</p><p>${t.saveNow}</p>
<p class="muted">${t.revealedAt} <time datetime="${revelation.revealedAt}">${revelation.revealedAt}</time></p></section>`,
  );
}

export const DEPOSIT_CHUNK = 50;

/** The seller's deposit page: a form that works without script; with it, chunks and progress. */
export function depositPage(
  frame: PageFrame,
  opened: Extract<OpenedLink, { kind: 'deposit' }>,
  action: string,
  outcome?: { results: readonly DepositResult[] } | { error: string },
): Html {
  const { t } = frame;
  const { listing, link } = opened;
  const results = outcome && 'results' in outcome ? outcome.results : [];
  const count = (o: string) => results.filter((r) => r.outcome === o).length;
  return layout(
    frame,
    t.depositTitle,
    html`<section><dl>
${listing.title ? html`<dt>${t.listing}</dt><dd>${listing.title}</dd>` : ''}
<dt>${t.brand}</dt><dd>${listing.brand}</dd>
</dl></section>
${outcome && 'error' in outcome ? html`<section class="notice" role="alert"><p>${outcome.error}</p></section>` : ''}
<form method="post" action="${action}/deposit" enctype="multipart/form-data" data-deposit data-chunk="${DEPOSIT_CHUNK}" data-summary="${t.summary(-1, -2, -3).replace('-1', '{a}').replace('-2', '{r}').replace('-3', '{p}')}">
${hidden(link.nonce, frame.lang)}
<label for="codes">${t.codesLabel}</label>
<textarea id="codes" name="codes" autocomplete="off" autocapitalize="off" spellcheck="false"></textarea>
<label for="file">${t.fileLabel}</label>
<input id="file" name="file" type="file" accept=".csv,text/csv,text/plain">
<p><button type="submit">${t.depositButton}</button></p>
</form>
<section id="results" aria-live="polite" ${results.length === 0 ? 'hidden' : ''}>
<h2>${t.results}</h2>
<label for="progress">${t.progress} <span id="progress-count">${results.length}</span> ${t.of} <span id="progress-total">${results.length}</span></label>
<progress id="progress" max="${Math.max(results.length, 1)}" value="${results.length}"></progress>
<p id="summary" role="status">${results.length > 0 ? t.summary(count('accepted'), count('rejected'), count('pending')) : ''}</p>
<table><thead><tr><th>#</th><th>${t.code}</th><th></th><th></th></tr></thead>
<tbody id="results-body">
${results.map((r) => html`<tr><td>${r.index + 1}</td><td>${masked(r.last4)}</td><td>${t[r.outcome]}</td><td>${r.reason ?? ''}</td></tr>`)}
</tbody></table>
</section>`,
  );
}

/** A code as the deposit page shows it: its last four characters only. */
export const masked = (last4: string) => `••••${last4}`;
