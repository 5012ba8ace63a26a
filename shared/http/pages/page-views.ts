/*
 * Element hooks the browser tests rely on (keep them stable):
 *
 *   reveal page (GET /links/{token}, kind reveal)
 *     #reveal-button       the "Reveal code" submit button (form POST to /links/{token}/reveal)
 *     #revealed-notice     "Revealed at ..." once the order is revealed (the reload after a reveal)
 *     #reveal-again-button within REVEAL_RETRY_SECONDS of a reveal through this link: shows it again
 *                          (#reveal-again-left: how many more times, LINK_REDELIVERIES in all)
 *     #redeliveries-spent  instead of that button once the link has shown it again LINK_REDELIVERIES times
 *     #refund-notice       the refund message (dead code or suspended seller): no code, no button
 *     #report-form         the report form (POST /links/{token}/report), after the reveal
 *     #report-card         its card <select>; #report-button its submit; #report-result the decision
 *   reveal answer (POST /links/{token}/reveal), the one page that carries codes
 *     #revealed-code       the first card's code; #revealed-pin its PIN (when it has one)
 *     #copy-code           its copy button (#copy-pin for the PIN): `hidden` until page.js runs
 *     #revealed-time       when it was revealed (<time datetime>, the text in the page's language)
 *     #again-left          how many more times this link shows it (or that this was the last)
 *     no link at all (no language switch): one tap must not throw the code away
 *     further cards of the order: #revealed-code-2, #revealed-pin-2, #copy-code-2, ... (1-based)
 *     a dead code answers the reveal page with #refund-notice instead
 *   deposit page (GET /links/{token}, kind deposit) and its answer (POST /links/{token}/cards)
 *     #deposit-form, #codes (textarea), #codes-file (file input), #deposit-button (submit)
 *     #deposit-progress    <progress>: value = codes checked, max = codes sent
 *     #deposit-summary     "n accepted, n rejected, n pending"
 *     #deposit-results     <ul>, one <li> per code, data-outcome="accepted|rejected|pending",
 *                          showing its number, the code masked (last 4 only), outcome, reason
 *     #deposit-error       a refusal of the whole batch (no codes, too many, seller suspended)
 *   every page but the reveal answer: #lang-switch (the other language), #tenant-name; #invalid-link (404), #refused (403)
 */
import { html } from 'hono/html';
import type { Order } from '../../domain/order.js';
import type { DepositResult } from '../../services/deposit-service.js';
import type { OpenedLink, PinGate } from '../../services/link-service.js';
import type { Revelation } from '../../services/reveal-service.js';
import { formFields, type Html, layout, type PageFrame } from './page-layout.js';
import type { PageText } from './page-text.js';

type RevealLink = Extract<OpenedLink, { kind: 'reveal' }>;
type DepositLink = Extract<OpenedLink, { kind: 'deposit' }>;

const money = (m: { amount: number; currency: string }) => `${(m.amount / 100).toFixed(2)} ${m.currency}`;

/** A code as a page may show it: its last four characters only (none for short codes). */
export const masked = (last4: string) => `••••${last4}`;

function orderSummary(t: PageText, { order, listing }: RevealLink, frame: PageFrame): Html {
  return html`<section aria-labelledby="summary-title">
<h2 id="summary-title">${frame.tenantName ? t.soldBy(frame.tenantName) : t.orderTitle}</h2>
<dl>
${listing?.title ? html`<dt>${t.item}</dt><dd>${listing.title}</dd>` : ''}
<dt>${t.brand}</dt><dd>${order.brand}</dd>
<dt>${t.quantity}</dt><dd>${order.quantity}</dd>
<dt>${order.paidAt === undefined ? t.amountDue : t.amount}</dt><dd id="order-amount">${money(order.amount)}</dd>
</dl>
</section>`;
}

const refundText = (t: PageText, order: Order) =>
  order.refundReason === 'seller_suspended' ? t.suspendedRefund : t.refunded;

/** What a reveal link shows: the summary and, while it can, the button. Never a code. */
export function revealPage(frame: PageFrame, opened: RevealLink, notice?: string, pin?: PinGate): Html {
  const { t } = frame;
  const { order, link } = opened;
  const action = frame.path ?? '';
  const pinLocked = link.confirm === 'pin' && (pin?.kind === 'locked' || (opened.pinTriesLeft ?? 0) <= 0);
  let body: Html;
  if (pinLocked && order.state !== 'refunded') {
    // A locked PIN link draws no form at all: nothing left to press.
    body = html`<section class="notice" id="pin-locked" role="alert"><p>${t.pinLocked}</p></section>`;
  } else if (order.revealedAt !== undefined) {
    const until = opened.revealAgainUntil;
    body = html`<section class="ok" id="revealed-notice"><p>${t.revealedAt} ${time(t, order.revealedAt)}</p>
${
  until
    ? html`<form id="reveal-again-form" method="post" action="${action}/reveal">
${formFields(link.nonce, frame.lang)}${pinField(t, opened, pin)}
<p class="muted">${t.revealAgainNote(time(t, until))} <span id="reveal-again-left">${t.againLeft(opened.redeliveriesLeft ?? 0)}</span></p>
<button type="submit" id="reveal-again-button" class="secondary">${t.revealAgainButton}</button>
</form>`
    : opened.redeliveriesSpent
      ? html`<p id="redeliveries-spent" role="status">${t.redeliveriesSpent}</p>`
      : html`<p>${t.alreadyRevealed}</p>`
}</section>
${notice ? html`<section class="ok" id="report-result" role="status"><p>${notice}</p></section>` : ''}
<section aria-labelledby="report-title">
<h2 id="report-title">${t.reportTitle}</h2>
<form id="report-form" method="post" action="${action}/report">
${formFields(link.nonce, frame.lang)}
<input type="hidden" name="reason" value="already_redeemed">
<label for="report-card">${t.reportCard}</label>
<select id="report-card" name="cardId">
${order.cards.map((c, i) => html`<option value="${c.cardId}">${i + 1} · ${masked(c.last4)}</option>`)}
</select>
<p class="muted">${t.reportNote}</p>
<p><button type="submit" id="report-button" class="secondary">${t.reportButton}</button></p>
</form>
</section>`;
  } else if (order.state === 'refunded') {
    body = html`<section class="notice" id="refund-notice" role="alert"><p>${refundText(t, order)}</p></section>`;
  } else if (order.state === 'paid' || order.state === 'released') {
    body = html`<form id="reveal-form" method="post" action="${action}/reveal">
${formFields(link.nonce, frame.lang)}${pinField(t, opened, pin)}
<p class="muted">${t.revealNote}</p>
<button type="submit" id="reveal-button">${t.revealButton}</button>
</form>`;
  } else if (order.state === 'pending_payment') {
    body = html`<section class="notice" id="not-paid"><p>${t.notPaid}</p></section>`;
  } else {
    body = html`<section class="notice" id="order-closed"><p>${t.closed}</p></section>`;
  }
  return layout(frame, t.orderTitle, html`${orderSummary(t, opened, frame)}${body}`);
}

/**
 * A PIN link's field (issue 20), with why the last press revealed nothing: no PIN, or a wrong one
 * and how many more the link takes. Links without `confirm` have none.
 */
function pinField(t: PageText, opened: RevealLink, pin: PinGate | undefined): Html | '' {
  if (opened.link.confirm !== 'pin') return '';
  const problem =
    pin?.kind === 'wrong' ? t.pinWrong(pin.left) : pin?.kind === 'missing' ? t.pinMissing : undefined;
  return html`
${problem ? html`<p class="notice" id="pin-error" role="alert">${problem}</p>` : ''}<p><label for="pin-input">${t.pinLabel}</label>
<input id="pin-input" name="pin" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}" minlength="6" maxlength="6" required${problem ? html` aria-describedby="pin-error"` : ''}></p>`;
}

/** A time as people read it, in the page's language, with the instant for machines. */
const time = (t: PageText, iso: string, id?: string) =>
  html`<time${id ? html` id="${id}"` : ''} datetime="${iso}">${t.time(iso)}</time>`;

/**
 * A code in groups, as brands print them: a code that carries its own separators keeps them;
 * an unbroken run of more than 8 letters and digits shows in fours. The groups are spans with no
 * text between them, so a copy (the button, or a selection) is the raw code.
 */
export function codeGroups(code: string): string[] {
  if (!/^[A-Za-z0-9]{9,}$/.test(code)) return [code];
  return code.match(/.{1,4}/g) ?? [code];
}

const grouped = (code: string) => codeGroups(code).map((g) => html`<span>${g}</span>`);

const hook = (name: string, i: number) => (i === 0 ? name : `${name}-${i + 1}`);

/** The one page that carries codes: the answer to the reveal button, never stored or cached. */
export function revealedPage(
  frame: PageFrame,
  opened: RevealLink,
  revelation: Revelation,
  /**
   * Until when a press on this link shows the code again (REVEAL_RETRY_SECONDS after the reveal),
   * and how many more times it may (LINK_REDELIVERIES less those it has had).
   */
  again: { readonly until: string; readonly left: number },
): Html {
  const { t } = frame;
  const many = revelation.cards.length > 1;
  // The label is the text read just before the code (a paragraph cannot carry a name: ARIA
  // forbids aria-labelledby there), and the card's section is a region named for it.
  const cards = revelation.cards.map(
    (card, i) => html`<section class="card" aria-label="${t.code}${many ? ` ${i + 1}` : ''}">
<p class="label">${t.code}${many ? ` ${i + 1}` : ''}</p>
<p class="code" id="${hook('revealed-code', i)}">${grouped(card.code)}</p>
<p><button type="button" class="secondary" id="${hook('copy-code', i)}" data-copy="${hook('revealed-code', i)}" data-copied="${t.copied}" hidden>${t.copy}</button></p>
${
  card.pin !== undefined
    ? html`<p class="label">${t.pin}</p>
<p class="code" id="${hook('revealed-pin', i)}">${card.pin}</p>
<p><button type="button" class="secondary" id="${hook('copy-pin', i)}" data-copy="${hook('revealed-pin', i)}" data-copied="${t.copied}" hidden>${t.copyPin}</button></p>`
    : ''
}
</section>`,
  );
  return layout(
    frame,
    t.yourCode,
    html`${cards}
<section class="ok" role="note"><p id="redemption-hint">${t.hint(opened.order.brand)}</p><p><strong>${again.left > 0 ? t.saveNow(time(t, again.until)) : ''} <span id="again-left">${again.left > 0 ? t.againLeft(again.left) : t.againSpent}</span></strong></p>
<p class="muted">${t.revealedAt} ${time(t, revelation.revealedAt, 'revealed-time')}</p></section>`,
    { nav: false },
  );
}

/** Lines page.js sends per request: progress moves every batch, and each answers well within a Lambda's time. */
export const DEPOSIT_BATCH_LINES = 50;

export type DepositOutcomeView =
  | { readonly results: readonly DepositResult[] }
  | { readonly error: string }
  | { readonly locked: DepositLockView }
  | undefined;

/** The seller's deposits are locked (issue 19): until a time, or until an operator unlocks them. */
export interface DepositLockView {
  readonly lockedUntil?: string;
  readonly operatorUnlockRequired: boolean;
}

/** A result as the page and page.js show it: its number, masked code, outcome and reason in words. */
export function depositResultView(t: PageText, r: DepositResult, offset = 0) {
  return {
    number: offset + r.index + 1,
    outcome: r.outcome,
    masked: masked(r.last4),
    outcomeText: t.outcomes[r.outcome],
    ...(r.reason !== undefined ? { reason: r.reason, reasonText: t.reasons[r.reason] } : {}),
  };
}

/**
 * Whose listing the codes go into: the seller id and the listing, so a person sent someone else's
 * link ("deposit here so I can pay you") can see it is not theirs.
 */
function depositSubject(t: PageText, listing: DepositLink['listing']): Html {
  return html`<section><dl id="deposit-subject">
<dt>${t.seller}</dt><dd id="deposit-seller">${listing.sellerId}</dd>
${listing.title ? html`<dt>${t.listing}</dt><dd>${listing.title}</dd>` : ''}
<dt>${t.listingId}</dt><dd>${listing.listingId}</dd>
<dt>${t.brand}</dt><dd>${listing.brand}</dd>
<dt>${t.faceValue}</dt><dd>${money(listing.faceValue)}</dd>
</dl></section>`;
}

/** A locked seller's deposit page: why, until when, and no form at all. */
function lockedDepositPage(frame: PageFrame, opened: DepositLink, lock: DepositLockView): Html {
  const { t } = frame;
  const { listing } = opened;
  const until = lock.lockedUntil?.slice(0, 16).replace('T', ' ');
  return layout(
    frame,
    t.depositTitle,
    html`${depositSubject(t, listing)}
<section class="notice" id="deposit-locked" role="alert"><h2>${t.lockedTitle}</h2>
<p>${until === undefined || lock.operatorUnlockRequired ? t.lockedByOperator : t.lockedUntil(until)}</p></section>`,
  );
}

/** The seller's deposit page: a form that works without script; with it, batches and progress. */
export function depositPage(frame: PageFrame, opened: DepositLink, outcome?: DepositOutcomeView): Html {
  const { t } = frame;
  const { listing } = opened;
  if (outcome && 'locked' in outcome) return lockedDepositPage(frame, opened, outcome.locked);
  const { link } = opened;
  const results = outcome && 'results' in outcome ? outcome.results : [];
  const count = (o: string) => results.filter((r) => r.outcome === o).length;
  const summaryTemplate = t
    .summary(-1, -2, -3)
    .replace('-1', '{a}')
    .replace('-2', '{r}')
    .replace('-3', '{p}');
  return layout(
    frame,
    t.depositTitle,
    html`${depositSubject(t, listing)}
<section class="notice" id="deposit-warning" role="note"><h2>${t.depositWarningTitle}</h2>
<p>${t.depositWarning(listing.sellerId)}</p></section>
${outcome && 'error' in outcome ? html`<section class="notice" id="deposit-error" role="alert"><p>${outcome.error}</p></section>` : ''}
<form id="deposit-form" method="post" action="${frame.path ?? ''}/cards" enctype="multipart/form-data" data-batch="${DEPOSIT_BATCH_LINES}" data-summary="${summaryTemplate}">
${formFields(link.nonce, frame.lang)}
<label for="codes">${t.codesLabel}</label>
<p class="muted" id="codes-help">${t.codesHelp}</p>
<textarea id="codes" name="codes" rows="8" aria-describedby="codes-help" autocomplete="off" autocapitalize="off" autocorrect="off" spellcheck="false"></textarea>
<label for="codes-file">${t.fileLabel}</label>
<input id="codes-file" name="file" type="file" accept=".csv,.txt,text/csv,text/plain">
<p><button type="submit" id="deposit-button">${t.depositButton}</button></p>
</form>
<section id="deposit-status" aria-live="polite"${results.length === 0 ? html` hidden` : ''}>
<h2>${t.results}</h2>
<label for="deposit-progress">${t.progress} <span id="deposit-count">${results.length}</span> ${t.of} <span id="deposit-total">${results.length}</span></label>
<progress id="deposit-progress" max="${Math.max(results.length, 1)}" value="${results.length}"></progress>
<p id="deposit-summary" role="status">${results.length > 0 ? t.summary(count('accepted'), count('rejected'), count('pending')) : ''}</p>
<ul id="deposit-results">
${results.map((r) => {
  const v = depositResultView(t, r);
  return html`<li data-outcome="${v.outcome}"><span class="n">${v.number}</span> <span class="masked">${v.masked}</span> <span class="result"><span class="outcome">${v.outcomeText}</span>${v.reasonText ? html` <span class="reason">${v.reasonText}</span>` : ''}</span></li>`;
})}
</ul>
</section>`,
  );
}
