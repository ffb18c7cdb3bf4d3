import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Screenshots of each page, kept as test artifacts (git-ignored). */
export const SCREENSHOTS = `${ROOT}test-results/web`;

/** Debian's Chromium (no browser download); CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Builds packages/web when its dist is missing, since the server serves the built files. */
export function ensureWebBuilt(): void {
  if (existsSync(`${ROOT}packages/web/dist/index.html`)) return;
  const result = spawnSync('npm', ['run', 'build', '-w', '@ariadne/web'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('building packages/web failed');
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // Containers run tests as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

export async function newPage(browser: Browser, width = 1440, height = 900): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height } });
  page.setDefaultTimeout(15_000);
  return page;
}

export const screenshot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: false });
