import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { sendLargeTrace, waitForTrace } from './large-trace.js';
import { ensureWebBuilt, launchBrowser, newPage, screenshot } from './web-browser.js';
import { startAriadne, type RunningAriadne } from './start-ariadne.js';

/** A 50,000-span trace opens, keeps only the rows in view in the DOM, and scrolls, folds and finds. (Its open time: bench/web-trace-open.) */

const SPANS = 50_000;

describe('web UI with a 50,000-span trace', () => {
  let ariadne: RunningAriadne;
  let browser: Browser;
  let page: Page;
  let traceId: string;

  before(async () => {
    ensureWebBuilt();
    ariadne = await startAriadne(mkdtempSync(join(tmpdir(), 'ariadne-web-large-')), ['--processors', 'none']);
    traceId = await sendLargeTrace(ariadne.otlpUrl, SPANS);
    await waitForTrace(ariadne.queryUrl, traceId, SPANS);
    browser = await launchBrowser();
    page = await newPage(browser);
  });
  after(async () => {
    await browser?.close();
    await ariadne?.stop();
  });

  it('opens with every span counted and only the rows in view rendered', async () => {
    const t0 = Date.now();
    await page.goto(`${ariadne.queryUrl}/trace/${traceId}`);
    await page.locator('.wf-row').first().waitFor({ timeout: 60_000 });
    console.log(`# ${SPANS}-span trace opened in ${Date.now() - t0} ms (informational; see bench/web-trace-open)`);
    assert.equal(await page.getByTestId('trace-span-count').innerText(), String(SPANS));
    const rendered = await page.locator('.wf-row').count();
    assert.ok(rendered > 10 && rendered < 200, `virtualized: ${rendered} rows in the DOM`);
    assert.equal(await page.locator('.wf-canvas').evaluate((el) => el.getBoundingClientRect().height), SPANS * 26);
    await screenshot(page, 'large-trace');
  });

  it('scrolls to the end, folds the root and finds a span deep in the tree', async () => {
    await page.locator('.wf-scroll').focus();
    await page.keyboard.press('End');
    const last = page.locator('.wf-row.selected');
    await last.waitFor();
    assert.equal(await last.getAttribute('aria-level'), '5');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowLeft'); // fold the root: one row left
    assert.equal(await page.locator('.wf-row').count(), 1);
    await page.keyboard.press('ArrowRight');
    await page.locator('.find').fill('index=49999');
    assert.equal(await page.getByTestId('find-count').innerText(), '1 match');
    await page.locator('.find').press('Enter');
    await page.locator('.span-details').waitFor();
    assert.match(await page.locator('.span-details table[aria-label=Attributes]').innerText(), /index\s+49999/);
    await screenshot(page, 'large-trace-find');
  });
});
