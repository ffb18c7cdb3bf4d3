import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Browser, Page } from 'playwright-core';
import { ensureWebBuilt, launchBrowser, newPage, screenshot } from './web-browser.js';
import { withTracers } from './web-test-traces.js';
import { eventually, startAriadne, type RunningAriadne } from './start-ariadne.js';

/** Span data is attacker-controlled: markup in any name or value must reach the screen as text. */

const PAYLOADS = [
  '<img src=x onerror="window.__xss=(window.__xss||0)+1">',
  '<script>window.__xss=(window.__xss||0)+1</script>',
  '"><svg onload="window.__xss=(window.__xss||0)+1">',
  "javascript:window.__xss=(window.__xss||0)+1//<b id=injected>bold</b>",
];
const EVIL_SERVICE = `evil-${PAYLOADS[0]}`;
const EVIL_OP = `GET ${PAYLOADS[1]}`;

describe('web UI with hostile span data', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ariadne-web-xss-'));
  let ariadne: RunningAriadne;
  let browser: Browser;
  let page: Page;
  let traceId = '';
  const dialogs: string[] = [];

  before(async () => {
    ensureWebBuilt();
    ariadne = await startAriadne(dataDir);
    await withTracers(ariadne.otlpUrl, { [EVIL_SERVICE]: { [PAYLOADS[2]]: PAYLOADS[3] }, 'db-caller': {} }, (t) => {
      const start = Date.now() - 5000;
      const root = t[EVIL_SERVICE].startSpan(EVIL_OP, { kind: SpanKind.SERVER, startTime: start, attributes: Object.fromEntries(PAYLOADS.map((p, i) => [`${p}.key${i}`, p])) }, ROOT_CONTEXT);
      const child = t['db-caller'].startSpan(PAYLOADS[2], { kind: SpanKind.CLIENT, startTime: start + 1, attributes: { 'db.system': 'postgresql', 'db.namespace': PAYLOADS[0] } }, trace.setSpan(ROOT_CONTEXT, root));
      const err = new Error(PAYLOADS[3]);
      err.name = PAYLOADS[0];
      err.stack = `${PAYLOADS[1]}\n    at ${PAYLOADS[2]} (x.js:1:1)`;
      child.recordException(err, start + 3);
      child.addEvent(PAYLOADS[1], { [PAYLOADS[0]]: PAYLOADS[2] }, start + 4);
      child.setStatus({ code: SpanStatusCode.ERROR, message: PAYLOADS[0] });
      child.end(start + 8);
      root.end(start + 10);
      traceId = root.spanContext().traceId;
    });
    await eventually(async () => ((await fetch(`${ariadne.queryUrl}/api/v1/traces/${traceId}`)).status === 200 ? true : undefined), 20_000);
    // Metrics (map, errors) are written at a minute boundary or on shutdown.
    assert.equal(await ariadne.stop(), 0);
    ariadne = await startAriadne(dataDir);
    browser = await launchBrowser();
    page = await newPage(browser);
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });
  after(async () => {
    await browser?.close();
    await ariadne?.stop();
  });

  /** No payload ran, and none became an element (index.html's own early-fetch script aside). */
  const assertInert = async () => {
    assert.equal(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), undefined);
    assert.equal(await page.locator('img[src=x], #injected, svg[onload], script:not([type=module]):not(#early-fetch)').count(), 0);
    assert.deepEqual(dialogs, []);
  };

  it('search results show names as text', async () => {
    await page.goto(`${ariadne.queryUrl}/search`);
    const title = page.locator('.trace-title').first();
    await title.waitFor();
    assert.equal(await title.innerText(), `${EVIL_SERVICE}: ${EVIL_OP}`);
    await page.locator('.scatter circle').first().hover();
    await assertInert();
    await screenshot(page, 'xss-search');
  });

  it('the trace view and span details show names, attributes, events and stacks as text', async () => {
    await page.goto(`${ariadne.queryUrl}/trace/${traceId}`);
    await page.locator('.wf-row').first().waitFor();
    assert.equal(await page.locator('.wf-row .wf-op').first().innerText(), EVIL_OP);
    await page.locator('.wf-row').first().click();
    const attrs = await page.locator('.span-details table[aria-label=Attributes]').innerText();
    for (const p of PAYLOADS) assert.ok(attrs.includes(p), `attribute text shows ${p}`);
    assert.ok((await page.locator('.span-details table[aria-label=Resource]').innerText()).includes(PAYLOADS[3]));
    await page.locator('.wf-row').nth(1).click();
    assert.equal(await page.locator('.span-details pre.stacktrace').innerText(), `${PAYLOADS[1]}\n    at ${PAYLOADS[2]} (x.js:1:1)`);
    assert.ok((await page.locator('.span-details').innerText()).includes(`error: ${PAYLOADS[0]}`));
    await page.locator('.find').fill('<script>');
    await assertInert();
    await screenshot(page, 'xss-trace');
  });

  it('the service map, services, service and errors pages show names as text', async () => {
    await page.goto(`${ariadne.queryUrl}/map`);
    await page.locator('.node-database').waitFor();
    assert.ok((await page.locator('.node').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-node')))).includes(EVIL_SERVICE));
    assert.ok((await page.locator('.service-map').textContent())?.includes('postgresql/<img src=x'));
    await assertInert();
    await screenshot(page, 'xss-map');
    await page.goto(`${ariadne.queryUrl}/services`);
    await page.getByRole('link', { name: EVIL_SERVICE }).click();
    await page.locator('table[aria-label=Operations] tbody tr').first().waitFor();
    assert.equal(await page.locator('table[aria-label=Operations] tbody td a').first().innerText(), EVIL_OP);
    await assertInert();
    await page.goto(`${ariadne.queryUrl}/errors`);
    const group = page.locator('.error-group').filter({ hasText: 'db-caller' });
    await group.waitFor();
    assert.ok((await group.innerText()).includes(PAYLOADS[0]));
    await assertInert();
    await screenshot(page, 'xss-errors');
  });
});
