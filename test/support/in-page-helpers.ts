/**
 * Helpers for the audit's in-page code, as text (the project type-checks without the DOM's
 * types): colour parsing, WCAG contrast, the background behind an element, visibility, and the
 * CSS path that names an element in every problem the audit reports.
 */
export const IN_PAGE_HELPERS = String.raw`
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
const round = (n) => Math.round(n * 100) / 100;
`;

/** Runs `fn` (in-page code, as text) in the page with the helpers in scope, and answers its result. */
export function inPage(fn: string, ...args: unknown[]): string {
  return `(async () => { ${IN_PAGE_HELPERS}; return (${fn})(${args.map((a) => JSON.stringify(a)).join(', ')}); })()`;
}
