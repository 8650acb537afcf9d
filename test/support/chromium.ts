/**
 * Debian's Chromium for the browser tests (inspector.test.ts, inspector-features.test.ts,
 * browser-pages.test.ts), headless, started without waiting on it: a test file starts it while it
 * sets up its servers and awaits it when it opens a page.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Chromium launching with the flags every browser test uses and `extraArgs`. Throws at once, saying how
 * to install it, where it is missing. The promise's rejection is handled here too, so a set-up that fails
 * before awaiting it leaves it to afterAll, not to Node's unhandled rejections.
 */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is not installed at ${CHROMIUM}: run \`apt-get install -y chromium\` (.ci/run installs it when missing)`);
  const launching = chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
  launching.catch(() => undefined);
  return launching;
}
