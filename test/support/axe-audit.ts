import axe from 'axe-core';
import type { Page } from 'playwright-core';
import { inPage } from './in-page-helpers.js';

/**
 * WCAG 2.0, 2.1 and 2.2 at levels A and AA: the level the pages promise. Running by tag leaves
 * out axe's experimental rules (not settled enough to fail a build on) and its AAA ones.
 * wcag22aa brings target-size (2.5.8, with the spacing and the inline-link exceptions), which axe
 * disables by default.
 */
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/**
 * Best practices (no WCAG criterion of their own) that the hand-written audit made before axe,
 * and only those: a visible h1, no skipped heading level, no empty heading, no positive tabindex,
 * a control that role="none" or a disallowed role would hide from a screen reader. Landmark
 * rules (region, landmark-one-main ...) were never part of the audit and stay out.
 */
const BEST_PRACTICES = [
  'page-has-heading-one',
  'heading-order',
  'empty-heading',
  'tabindex',
  'presentation-role-conflict',
  'aria-allowed-role',
];

/**
 * axe's aria-progressbar-name looks at role="progressbar" only: a native <progress> (the deposit
 * page's) needs a name as well (4.1.2), found by the same checks axe uses for a form field.
 */
const PROGRESS_NAME = {
  id: 'progress-name',
  selector: 'progress',
  tags: ['wcag2a', 'wcag412'],
  any: ['aria-label', 'aria-labelledby', 'explicit-label', 'implicit-label', 'non-empty-title'],
  metadata: {
    description: 'Ensure every progress element has an accessible name',
    help: 'Progress bars must have an accessible name',
  },
};

/** The rules whose nodes are the controls (and progress bars) that must have a name. */
const NAME_RULES = [
  'button-name',
  'input-button-name',
  'link-name',
  'label',
  'select-name',
  'summary-name',
  'progress-name',
  'aria-command-name',
  'aria-input-field-name',
  'aria-toggle-field-name',
  'aria-progressbar-name',
  'aria-meter-name',
  'aria-tab-name',
];

export interface AxeFindings {
  readonly problems: string[];
  /** Texts color-contrast looked at, and the elements (by CSS path) the name rules looked at. */
  readonly texts: number;
  readonly controls: string[];
}

/**
 * Runs axe-core in the page. Each violation is a problem `<rule>: <element> (<help>: <what
 * failed>)`. So is each "incomplete" node, the ones axe could not decide (text over a background
 * image, a target partly under another ...): the audit never passes what it did not measure, and a
 * test has no person to review them.
 *
 * axe's source is evaluated, not added as a <script>: the pages' CSP (script-src 'self') refuses
 * an inline script, and a page opened without JavaScript would not run one. Evaluated, its
 * setTimeout is shadowed by a promise job: without JavaScript Chromium fires no timers (only
 * V8's promise jobs run), and axe ends every rule with setTimeout(..., 0), so its run would
 * never end. Its other timers wait for frames and preloaded CSS, both turned off here.
 */
export async function axeAudit(page: Page): Promise<AxeFindings> {
  await page.evaluate(
    `(function (setTimeout) {\n${axe.source}\n}).call(window, (run, _ms, ...args) => { Promise.resolve().then(() => run(...args)); return 0; })`,
  );
  const options = {
    runOnly: { type: 'tag', values: WCAG_TAGS },
    rules: Object.fromEntries([...BEST_PRACTICES, PROGRESS_NAME.id].map((id) => [id, { enabled: true }])),
    elementRef: true,
    iframes: false,
    preload: false,
  };
  return (await page.evaluate(inPage(AXE_RUN, options, PROGRESS_NAME, NAME_RULES))) as AxeFindings;
}

const AXE_RUN = `async (options, progressName, nameRules) => {
  axe.configure({ rules: [progressName] });
  const results = await axe.run(document, options);
  const nameOf = (node) => (node.element ? pathOf(node.element) : node.target.join(' '));
  const failed = (node) =>
    [...node.any, ...node.all, ...node.none].map((check) => check.message).filter(Boolean).join('; ');
  const problems = [];
  for (const [group, prefix] of [['violations', ''], ['incomplete', 'axe could not decide: ']]) {
    for (const rule of results[group]) {
      for (const node of rule.nodes) {
        problems.push(rule.id + ': ' + nameOf(node) + ' (' + prefix + rule.help + ': ' + failed(node) + ')');
      }
    }
  }
  const nodesOf = (ids) =>
    ['passes', 'violations', 'incomplete'].flatMap((group) =>
      results[group].filter((rule) => ids.includes(rule.id)).flatMap((rule) => rule.nodes),
    );
  return {
    problems,
    texts: nodesOf(['color-contrast']).length,
    controls: [...new Set(nodesOf(nameRules).map(nameOf))],
  };
}`;
