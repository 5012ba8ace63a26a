import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/** Debian's `chromium` package: the one browser the tests drive (playwright-core downloads none). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Launches Debian's Chromium headless. A missing browser fails the test file with what to
 * install: the browser tests are part of `npm test`, never skipped (.ci/run installs it).
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: the browser tests need Debian's chromium and ` +
        'fonts-noto-cjk packages (apt-get install chromium fonts-noto-cjk; .ci/run installs both when missing)',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Chromium refuses to sandbox as root (CI containers); small containers have a small /dev/shm.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), '--disable-dev-shm-usage'],
  });
}

/** One browser per test file: launched before its tests, closed after. */
export function useBrowser(): { current: Browser } {
  const holder = {} as { current: Browser };
  beforeAll(async () => {
    holder.current = await launchChromium();
  });
  afterAll(async () => {
    await holder.current?.close();
  });
  return holder;
}
