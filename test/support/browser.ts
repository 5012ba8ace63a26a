import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Browser,
  type BrowserContextOptions,
  type BrowserServer,
  chromium,
  type Page,
} from 'playwright-core';
import { afterAll, beforeAll, expect, inject } from 'vitest';

/** Debian's `chromium` package: the one browser the tests drive (playwright-core downloads none). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Launches Debian's Chromium headless. A missing browser fails the test file with what to
 * install: the browser tests are part of `npm test`, never skipped (.ci/run installs it).
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch(chromiumOptions());
}

/** Launches the same Chromium as a server the run's test files connect to (global-setup.ts). */
export async function launchChromiumServer(): Promise<BrowserServer> {
  return chromium.launchServer(chromiumOptions());
}

function chromiumOptions() {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: the browser tests need Debian's chromium and ` +
        'fonts-noto-cjk packages (apt-get install chromium fonts-noto-cjk; .ci/run installs both when missing)',
    );
  }
  return {
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Chromium refuses to sandbox as root (CI containers); small containers have a small /dev/shm.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-dev-shm-usage'],
  };
}

/**
 * The browser for a test file: a connection to the one Chromium the run launched
 * (inject('chromiumEndpoint'), global-setup.ts), or, when the run launched none, a browser of
 * the file's own. Every test opens contexts of its own, so files share nothing but the process.
 */
export function useBrowser(): { current: Browser } {
  const holder = {} as { current: Browser };
  beforeAll(async () => {
    const endpoint = inject('chromiumEndpoint');
    holder.current = endpoint ? await chromium.connect(endpoint) : await launchChromium();
  });
  afterAll(async () => {
    // Closing a connected browser disconnects this file (its contexts go); the server stays up.
    await holder.current?.close();
  });
  return holder;
}

/** A code as the pages show it, without the separators (spaces, dashes) it was typed with. */
export const plain = (code: string) => code.replace(/[\s-]/g, '');

/** Opens a page in a context of its own (en-US unless `options` says otherwise); it must answer 200. */
export async function openPage(
  browser: Browser,
  url: string,
  options: BrowserContextOptions = {},
): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-US', ...options });
  const page = await context.newPage();
  const response = await page.goto(url);
  expect(response?.status()).toBe(200);
  return page;
}

/** Presses the reveal button; the answer is the code, or the refund message (by form POST or by script). */
export async function pressReveal(page: Page): Promise<void> {
  await page.click('#reveal-button');
  await page.waitForSelector('#revealed-code, #refund-notice');
}

/** The fonts Chromium really drew a node's text with (DevTools' "Rendered Fonts"), not the CSS asked for. */
export async function renderedFonts(page: Page, selector: string): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    return fonts.map((font) => font.familyName);
  } finally {
    await cdp.detach();
  }
}

/** A 360 px phone (the narrowest the pages are made for), as a browser context's options. */
export const PHONE_360 = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
} as const satisfies BrowserContextOptions;

/** Layout sanity on a phone: nothing wider than the screen, and the elements named fully on it. */
export async function fitsWidth(page: Page, width: number, selectors: string[]): Promise<void> {
  // In-page code is passed as text: the project type-checks against Node, without the DOM's types.
  expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
  const overflowing = await page.evaluate(`[...document.body.querySelectorAll('*')]
    .filter((el) => el.getBoundingClientRect().right > ${width} + 0.5)
    .map((el) => el.outerHTML.slice(0, 80))`);
  expect(overflowing).toEqual([]);
  for (const selector of selectors) {
    await page.locator(selector).scrollIntoViewIfNeeded();
    const box = await page.locator(selector).boundingBox();
    const viewport = page.viewportSize();
    expect(box, selector).not.toBeNull();
    if (!box || !viewport) continue;
    expect(box.x, selector).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, selector).toBeLessThanOrEqual(width);
    expect(box.y, selector).toBeGreaterThanOrEqual(0);
    // Scrolled into view, an element may end a fraction of a pixel past the edge (layout units
    // are 1/64 px, scrolling whole pixels): under one pixel is on screen.
    expect(box.y + box.height, selector).toBeLessThan(viewport.height + 1);
  }
}

/** Writes the README's screenshots only when asked (`UPDATE_SCREENSHOTS=1`): CI leaves the tree clean. */
export async function saveScreenshot(page: Page, name: 'reveal' | 'deposit'): Promise<void> {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

const SCREENSHOT_DIR = 'docs/screenshots';
