import type { Page } from 'playwright-core';
import { axeAudit } from './axe-audit.js';
import { ownPageChecks, type PageLanguage, tabWalk } from './own-page-checks.js';

export type { PageLanguage };

/**
 * An accessibility audit of the page a browser shows now (issue 10: labels, focus, contrast;
 * issue 24: axe-core for what it covers). It answers the problems it found, each naming the
 * element, and how much it looked at, so a test can tell an empty audit from a clean one.
 *
 * - axe-core (axe-audit.ts), WCAG 2.x A and AA and the best practices the audit always made:
 *   text contrast, names of controls, ARIA, image alternatives, title, headings, `<html lang>`
 *   present and valid, positive tabindex, target size (2.5.8, spacing exception included).
 *   What axe cannot decide is a problem too.
 * - Its own code (own-page-checks.ts), for what axe does not check: control boundaries at 3:1
 *   (1.4.11); `<html lang>` equal to the language expected, Han text only inside Chinese, and a
 *   Chinese page's title and h1 in Han; one h1, not several; and a walk with real Tab presses from
 *   the top (2.1.1, 2.4.3, 2.4.7): every focusable element reached, in DOM order, each matching
 *   :focus-visible with a visible focus indicator.
 */
export interface AuditReport {
  readonly problems: string[];
  /**
   * What was checked: how many texts axe's color-contrast looked at, the elements its name
   * rules looked at, and the Tab stops walked (both by CSS path).
   */
  readonly checked: { readonly texts: number; readonly controls: string[]; readonly tabStops: string[] };
}

export async function auditPage(page: Page, lang: PageLanguage): Promise<AuditReport> {
  const byAxe = await axeAudit(page);
  const own = await ownPageChecks(page, lang);
  const keyboard = await tabWalk(page, own.focusables);
  return {
    problems: [...byAxe.problems, ...own.problems, ...keyboard],
    checked: { texts: byAxe.texts, controls: byAxe.controls, tabStops: own.focusables },
  };
}
