import type { Page } from 'playwright-core';
import { inPage } from './in-page-helpers.js';

export type PageLanguage = 'en' | 'zh-CN';

/**
 * The checks axe does not make: control boundaries, the expected language, one h1; and the
 * elements Tab must reach, in DOM order, for the Tab walk.
 */
export async function ownPageChecks(
  page: Page,
  lang: PageLanguage,
): Promise<{ problems: string[]; focusables: string[] }> {
  return (await page.evaluate(inPage(OWN_CHECKS, lang))) as { problems: string[]; focusables: string[] };
}

/** Tab from the top of the page through every focusable element, checking order and focus style. */
export async function tabWalk(page: Page, focusables: string[]): Promise<string[]> {
  const problems: string[] = [];
  // Start where a person who just opened the page starts: the top, nothing focused. Focusing the
  // body moves Chromium's sequential-navigation starting point there (blur() alone leaves it on
  // the element last clicked).
  await page.evaluate(`{
    const body = document.body;
    body.tabIndex = -1;
    body.focus();
    body.removeAttribute('tabindex');
  }`);
  const reached: string[] = [];
  for (let i = 0; i < focusables.length; i++) {
    await page.keyboard.press('Tab');
    const focus = (await page.evaluate(inPage(FOCUS_CHECK))) as { path: string; problem?: string };
    reached.push(focus.path);
    if (focus.problem) problems.push(`${focus.path}: ${focus.problem}`);
  }
  if (reached.join('\n') !== focusables.join('\n')) {
    problems.push(`Tab order ${JSON.stringify(reached)}, not the DOM order ${JSON.stringify(focusables)}`);
  }
  return problems;
}

const OWN_CHECKS = String.raw`(lang) => {
  const problems = [];

  // Control boundaries (1.4.11; axe has no non-text contrast rule): the border, or the control's
  // own background, against what is around it. A file input is judged by its "choose file" button.
  const controls = [...document.body.querySelectorAll('button, input:not([type=hidden]), textarea, select')];
  for (const el of controls.filter(isVisible)) {
    if (el.matches(':disabled')) continue;
    const fileButton = el.matches('input[type=file]');
    const style = getComputedStyle(el, fileButton ? '::file-selector-button' : null);
    const around = backgroundOf(el, problems, true);
    const ratios = [];
    const own = parseColor(style.backgroundColor);
    if (own && own.a > 0) ratios.push(contrast(over(own, around), around));
    for (const side of ['Top', 'Right', 'Bottom', 'Left']) {
      const border = parseColor(style['border' + side + 'Color']);
      if (border && style['border' + side + 'Style'] !== 'none' && parseFloat(style['border' + side + 'Width']) >= 1) {
        ratios.push(contrast(over(border, around), around));
      }
    }
    const best = Math.max(0, ...ratios);
    if (best < 3) problems.push(pathOf(el) + ': boundary contrast ' + round(best) + ' < 3 against its surroundings');
  }

  // Language: axe checks that <html lang> is present and valid, not that it is the one expected,
  // nor which language the text is in. Han script sits only in a Chinese element; a Chinese
  // page's title and h1 are in Han script.
  const htmlLang = document.documentElement.getAttribute('lang');
  if (htmlLang !== lang) problems.push('<html lang="' + htmlLang + '">, expected "' + lang + '"');
  const han = /\p{Script=Han}/u;
  const hasOwnText = (el) =>
    [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim() !== '');
  for (const el of document.body.querySelectorAll('*')) {
    if (!hasOwnText(el) || el.closest('select > *, script, style, template') || !isVisible(el)) continue;
    const own = (el.closest('[lang]') || document.documentElement).getAttribute('lang') || '';
    if (han.test(el.textContent) && !own.startsWith('zh')) {
      problems.push(pathOf(el) + ': Chinese text in an element of language "' + own + '"');
    }
  }
  const h1s = [...document.querySelectorAll('h1')];
  if (lang.startsWith('zh')) {
    if (!han.test(document.title)) problems.push('title "' + document.title + '" is not in Chinese');
    if (h1s[0] && !han.test(h1s[0].textContent)) problems.push('h1 is not in Chinese');
  }
  // axe's page-has-heading-one asks for at least one h1; the pages have exactly one, the title.
  if (h1s.length > 1) problems.push(h1s.length + ' h1 elements, expected one');

  const FOCUSABLE = 'a[href], button, input:not([type=hidden]), textarea, select, [tabindex], [contenteditable=""], [contenteditable=true]';
  const focusables = [...document.body.querySelectorAll(FOCUSABLE)].filter(
    (el) => isVisible(el) && !el.matches(':disabled') && el.getAttribute('tabindex') !== '-1',
  );
  return { problems, focusables: focusables.map(pathOf) };
}`;

/**
 * The element Tab focused: its path, and whether a person can see that it has the focus (2.4.7;
 * axe cannot press Tab): :focus-visible, and Chromium's own ring, a box-shadow, or an outline at
 * least 2 px wide at 3:1 against the background around it.
 */
const FOCUS_CHECK = `() => {
  const el = document.activeElement;
  const path = pathOf(el);
  if (!el || el === document.body) return { path };
  if (!el.matches(':focus-visible')) return { path, problem: 'focused by Tab but not :focus-visible' };
  const style = getComputedStyle(el);
  const problems = [];
  if (style.boxShadow !== 'none') return { path };
  // 'auto' is Chromium's own ring (two-tone, drawn 2 px whatever the width says): visible on any
  // background. Any other outline the page styled must be 2 px at 3:1.
  if (style.outlineStyle === 'auto') return { path };
  if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) < 2) {
    return { path, problem: 'no visible focus indicator (outline ' + style.outlineStyle + ' ' + style.outlineWidth + ', no box-shadow)' };
  }
  const color = parseColor(style.outlineColor);
  if (!color) return { path, problem: 'outline colour ' + style.outlineColor + ' not parsed' };
  // Drawn outside the element (outline-offset >= 0): seen against the background around it.
  const around = backgroundOf(el, problems, parseFloat(style.outlineOffset) >= 0);
  const ratio = contrast(over(color, around), around);
  if (ratio < 3) problems.push('focus outline contrast ' + round(ratio) + ' < 3');
  return problems.length ? { path, problem: problems.join('; ') } : { path };
}`;
