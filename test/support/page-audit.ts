import type { Page } from 'playwright-core';

/**
 * An accessibility audit of the page a browser shows now (issue 10: labels, focus, contrast),
 * computed by Chromium itself: styles as rendered, accessible names from its accessibility tree,
 * focus moved by real Tab presses. It answers the problems it found, each naming the element,
 * and how much it looked at, so a test can tell an empty audit from a clean one.
 *
 * What it checks, and where it stops (kept honest rather than complete):
 * - Text contrast (WCAG 2.x 1.4.3): every visible element with its own text, and the text of the
 *   form controls, against the background behind it (ancestors' background colours composited,
 *   over white). 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold). Disabled controls are
 *   exempt, as WCAG exempts them. A background image or a partly transparent element is not
 *   computed: reported as a problem, so the audit never passes what it did not measure.
 * - Control boundaries (1.4.11): each button, input and select is told from what is around it,
 *   3:1 by its border or by its own background against the background outside it. A file input
 *   is judged by its "choose file" button (`::file-selector-button`).
 * - Names (4.1.2): every control Chromium exposes (button, textbox, combobox, link, progressbar,
 *   ...) has a non-empty computed name, from `Accessibility.getPartialAXTree`; a visible control
 *   the tree ignores is a problem too. A label on an element whose role ARIA forbids naming (a
 *   paragraph, a generic span) is a problem: it labels nothing.
 * - Language (3.1.1/3.1.2): `<html lang>` is the one expected; text in Han script sits only in an
 *   element whose language is Chinese; a Chinese page's title and h1 are in Han script.
 * - Keyboard (2.1.1, 2.4.3, 2.4.7): Tab from the top reaches every focusable element, in DOM order
 *   (no positive tabindex); each, focused so, matches :focus-visible and draws Chromium's own ring
 *   (outline-style auto), a box-shadow, or an outline at least 2 px wide at 3:1 against the
 *   background around it.
 * - Target size (2.5.8): every control, and every link not inside a sentence, is 24x24 CSS px,
 *   or smaller with nothing else within a 24 px circle around its centre (the spacing exception).
 * - Structure (1.1.1, 1.3.1, 2.4.2): a title, exactly one h1, no skipped heading level, every img
 *   with an alt.
 */
export interface AuditReport {
  readonly problems: string[];
  /** What was checked: how many texts, and which controls (named) and Tab stops (by CSS path). */
  readonly checked: { readonly texts: number; readonly controls: string[]; readonly tabStops: string[] };
}

export type PageLanguage = 'en' | 'zh-CN';

export async function auditPage(page: Page, lang: PageLanguage): Promise<AuditReport> {
  const found = (await page.evaluate(
    `(() => { ${IN_PAGE_HELPERS}; return (${STATIC_AUDIT})(${JSON.stringify(lang)}); })()`,
  )) as { problems: string[]; texts: number; controls: string[]; labelled: string[]; focusables: string[] };
  const names = await nameProblems(page, found.controls, found.labelled);
  const keyboard = await keyboardProblems(page, found.focusables);
  return {
    problems: [...found.problems, ...names, ...keyboard],
    checked: { texts: found.texts, controls: found.controls, tabStops: found.focusables },
  };
}

/** Roles whose elements a person operates: each needs a name to be told apart by a screen reader. */
const NAMED_ROLES = new Set([
  'button',
  'link',
  'textbox',
  'searchbox',
  'combobox',
  'listbox',
  'checkbox',
  'radio',
  'switch',
  'slider',
  'spinbutton',
  'progressbar',
  'menuitem',
  'tab',
]);

/**
 * Roles ARIA 1.2 prohibits naming: an aria-label or aria-labelledby on them is not announced
 * (screen readers read their text, not a name), so a label put there labels nothing.
 */
const UNNAMED_ROLES = new Set([
  'caption',
  'code',
  'deletion',
  'emphasis',
  'generic',
  'insertion',
  'none',
  'paragraph',
  'presentation',
  'strong',
  'subscript',
  'superscript',
]);

/**
 * From Chromium's accessibility tree: the computed name of each visible control, and the role of
 * each element given a name by aria-label/aria-labelledby (both by CSS path).
 */
async function nameProblems(page: Page, controls: string[], labelled: string[]): Promise<string[]> {
  const problems: string[] = [];
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('Accessibility.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const axNode = async (path: string) => {
      const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector: path });
      if (!nodeId) return undefined;
      const { nodes } = await cdp.send('Accessibility.getPartialAXTree', { nodeId, fetchRelatives: false });
      return nodes[0];
    };
    for (const path of controls) {
      const node = await axNode(path);
      const role = String(node?.role?.value ?? '');
      const name = String(node?.name?.value ?? '').trim();
      if (!node || node.ignored) problems.push(`${path}: visible, but not in the accessibility tree`);
      else if (!NAMED_ROLES.has(role)) problems.push(`${path}: exposed as "${role}", not as a control`);
      else if (name === '') problems.push(`${path} (${role}): no accessible name`);
    }
    for (const path of labelled) {
      const role = String((await axNode(path))?.role?.value ?? '');
      if (UNNAMED_ROLES.has(role))
        problems.push(`${path}: aria-label(ledby) on a ${role}, which cannot be named`);
    }
  } finally {
    await cdp.detach();
  }
  return problems;
}

/** Tab from the top of the page through every focusable element, checking order and focus style. */
async function keyboardProblems(page: Page, focusables: string[]): Promise<string[]> {
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
    const focus = (await page.evaluate(`(() => { ${IN_PAGE_HELPERS}; return (${FOCUS_CHECK})(); })()`)) as {
      path: string;
      problem?: string;
    };
    reached.push(focus.path);
    if (focus.problem) problems.push(`${focus.path}: ${focus.problem}`);
  }
  if (reached.join('\n') !== focusables.join('\n')) {
    problems.push(`Tab order ${JSON.stringify(reached)}, not the DOM order ${JSON.stringify(focusables)}`);
  }
  return problems;
}

/**
 * In-page helpers (text: the project type-checks without the DOM's types): colour parsing,
 * WCAG contrast, the background behind an element, visibility, and a CSS path naming an element.
 */
const IN_PAGE_HELPERS = String.raw`
const parseColor = (text) => {
  const m = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(text);
  return m ? { r: +m[1], g: +m[2], b: +m[3], a: m[4] === undefined ? 1 : +m[4] } : undefined;
};
const over = (top, bottom) => ({
  r: top.r * top.a + bottom.r * (1 - top.a),
  g: top.g * top.a + bottom.g * (1 - top.a),
  b: top.b * top.a + bottom.b * (1 - top.a),
  a: 1,
});
const luminance = (c) => {
  const lin = (v) => { const s = v / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
};
const contrast = (a, b) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};
const pathOf = (el) => {
  if (el === document.body || el === document.documentElement || !el) return el ? el.localName : '(none)';
  if (el.id) return '#' + CSS.escape(el.id);
  const parent = el.parentElement;
  const same = [...parent.children].filter((c) => c.localName === el.localName);
  const nth = same.length > 1 ? ':nth-of-type(' + (same.indexOf(el) + 1) + ')' : '';
  return pathOf(parent) + ' > ' + el.localName + nth;
};
const isVisible = (el) =>
  el.checkVisibility({ visibilityProperty: true }) && el.getClientRects().length > 0;
/** The opaque colour behind el (from its own background down, or from its parent's when outside). */
const backgroundOf = (el, problems, outside) => {
  const layers = [];
  for (let node = outside ? el.parentElement : el; node; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (style.backgroundImage !== 'none') {
      problems.push(pathOf(el) + ': a background image behind it, contrast not computed');
    }
    const color = parseColor(style.backgroundColor);
    if (!color) problems.push(pathOf(el) + ': background colour ' + style.backgroundColor + ' not parsed');
    else if (color.a > 0) layers.push(color);
    if (color && color.a === 1) break;
  }
  return layers.reverse().reduce((below, layer) => over(layer, below), { r: 255, g: 255, b: 255, a: 1 });
};
const opacityOf = (el) => {
  let opacity = 1;
  for (let node = el; node; node = node.parentElement) opacity *= +getComputedStyle(node).opacity;
  return opacity;
};
const round = (n) => Math.round(n * 100) / 100;
const FOCUSABLE = 'a[href], button, input:not([type=hidden]), textarea, select, [tabindex], [contenteditable=""], [contenteditable=true]';
`;

/** Everything but names and the keyboard: contrast, boundaries, language, headings, images. */
const STATIC_AUDIT = String.raw`(lang) => {
  const problems = [];
  let texts = 0;
  const CONTROLS = 'button, input:not([type=hidden]), textarea, select';

  // Text contrast: elements with text of their own, and the controls showing text (a select's
  // option, a textarea's input, a file input's "no file chosen").
  const hasOwnText = (el) =>
    [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim() !== '');
  const textual = [...document.body.querySelectorAll('*')].filter(
    (el) => (hasOwnText(el) || el.matches(CONTROLS)) && !el.closest('select > *, script, style, template'),
  );
  for (const el of textual) {
    if (!isVisible(el) || el.matches(':disabled')) continue;
    texts++;
    const style = getComputedStyle(el);
    if (opacityOf(el) < 1) {
      problems.push(pathOf(el) + ': drawn partly transparent, contrast not computed');
      continue;
    }
    const fg = parseColor(style.color);
    if (!fg) {
      problems.push(pathOf(el) + ': colour ' + style.color + ' not parsed');
      continue;
    }
    const bg = backgroundOf(el, problems, false);
    const ratio = contrast(over(fg, bg), bg);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && +style.fontWeight >= 700);
    const needed = large ? 3 : 4.5;
    if (ratio < needed) {
      problems.push(pathOf(el) + ': text contrast ' + round(ratio) + ' < ' + needed + ' (' + style.color +
        ' on ' + JSON.stringify(bg) + ', ' + size + 'px)');
    }
    if (el.matches('input[type=file]')) {
      // The button Chromium draws inside: its text on its own background.
      const button = getComputedStyle(el, '::file-selector-button');
      const bfg = parseColor(button.color);
      const bbg = parseColor(button.backgroundColor);
      if (!bfg || !bbg || bbg.a < 1) {
        problems.push(pathOf(el) + ': file button colours ' + button.color + ' / ' + button.backgroundColor + ' not computed');
      } else if (contrast(over(bfg, bbg), bbg) < 4.5) {
        problems.push(pathOf(el) + ': file button text contrast ' + round(contrast(over(bfg, bbg), bbg)) + ' < 4.5');
      }
    }
  }

  // Control boundaries: the border, or the control's own background, against what is around it.
  const controls = [...document.body.querySelectorAll(CONTROLS)].filter(isVisible);
  for (const el of controls) {
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

  // Target size (2.5.8, AA): each control and each link that is not part of a sentence is at
  // least 24 by 24 CSS px, or, smaller, has a 24 px circle around its centre that meets no other
  // target's box nor another small target's circle (WCAG's spacing exception).
  const isInline = (el) => {
    if (el.localName !== 'a') return false;
    const block = el.parentElement && el.parentElement.closest('p, li, td, dd, label');
    return !!block && block.textContent.trim().length > el.textContent.trim().length;
  };
  const targets = [...document.body.querySelectorAll('a[href], ' + CONTROLS)]
    .filter((el) => isVisible(el) && !isInline(el))
    .map((el) => ({ el, box: el.getBoundingClientRect() }));
  const centre = (b) => ({ x: b.left + b.width / 2, y: b.top + b.height / 2 });
  const meetsBox = (c, b) => {
    const dx = Math.max(b.left - c.x, 0, c.x - b.right);
    const dy = Math.max(b.top - c.y, 0, c.y - b.bottom);
    return dx * dx + dy * dy < 12 * 12;
  };
  const small = targets.filter((t) => t.box.width < 24 || t.box.height < 24);
  for (const t of small) {
    const c = centre(t.box);
    const crowded = targets.some(
      (o) =>
        o !== t &&
        (meetsBox(c, o.box) ||
          (small.includes(o) && Math.hypot(centre(o.box).x - c.x, centre(o.box).y - c.y) < 24)),
    );
    if (crowded) {
      problems.push(pathOf(t.el) + ': target ' + round(t.box.width) + 'x' + round(t.box.height) +
        ' px, under 24x24 and too close to another target');
    }
  }

  // Language: the document's, and Han text only inside Chinese.
  const htmlLang = document.documentElement.getAttribute('lang');
  if (htmlLang !== lang) problems.push('<html lang="' + htmlLang + '">, expected "' + lang + '"');
  const han = /\p{Script=Han}/u;
  for (const el of textual) {
    if (!isVisible(el) || !hasOwnText(el)) continue;
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

  // Structure: a title, one h1, no heading level skipped, an alt on every image.
  if (document.title.trim() === '') problems.push('no document title');
  if (h1s.length !== 1) problems.push(h1s.length + ' h1 elements, expected one');
  if (h1s[0] && (!isVisible(h1s[0]) || h1s[0].textContent.trim() === '')) problems.push('the h1 is empty or hidden');
  let level = 0;
  for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const next = +h.localName[1];
    if (next > level + 1) problems.push(pathOf(h) + ': heading level ' + next + ' after level ' + level);
    level = next;
  }
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt')) problems.push(pathOf(img) + ': an image without alt');
  }

  // Keyboard: what Tab must reach, in DOM order; a positive tabindex would reorder it.
  const focusables = [...document.body.querySelectorAll(FOCUSABLE)].filter(
    (el) => isVisible(el) && !el.matches(':disabled') && el.getAttribute('tabindex') !== '-1',
  );
  for (const el of focusables) {
    if (el.tabIndex > 0) problems.push(pathOf(el) + ': tabindex ' + el.tabIndex + ' changes the Tab order');
  }
  const named = [...document.body.querySelectorAll(CONTROLS + ', a[href], progress')].filter(isVisible);
  const labelled = [...document.body.querySelectorAll('[aria-label], [aria-labelledby]')].filter(isVisible);
  return {
    problems,
    texts,
    controls: named.map(pathOf),
    labelled: labelled.map(pathOf),
    focusables: focusables.map(pathOf),
  };
}`;

/** The element Tab focused: its path, and whether a person can see that it has the focus. */
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
