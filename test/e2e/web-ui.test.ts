import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { ensureWebBuilt, launchBrowser, newPage, screenshot } from './web-browser.js';
import { makeShopTraces, SHOP_TRACES, withTracers, type ShopTrace } from './web-test-traces.js';
import { eventually, startAriadne, type RunningAriadne } from './start-ariadne.js';

/**
 * The web UI against a real all-in-one fed by the official OpenTelemetry SDK: what a person
 * checks on each page, with a screenshot of each under test-results/web.
 */

describe('web UI', () => {
  let ariadne: RunningAriadne;
  let browser: Browser;
  let page: Page;
  let traces: ShopTrace[];
  const dataDir = mkdtempSync(join(tmpdir(), 'ariadne-web-'));
  const url = (path: string) => ariadne.queryUrl + path;
  const count = (selector: string) => page.locator(selector).count();
  const rowOf = (name: string) => page.locator('.wf-row', { has: page.locator('.wf-op', { hasText: new RegExp(`^${name}$`) }) });

  before(async () => {
    ensureWebBuilt();
    ariadne = await startAriadne(dataDir, ['--trace-window-seconds', '1']);
    await withTracers(ariadne.otlpUrl, { frontend: { 'deployment.environment': 'prod' }, backend: {} }, (t) => {
      traces = makeShopTraces(t);
    });
    await eventually(async () => {
      const res = await fetch(url('/api/v1/search?service=backend&limit=100&start=0'));
      return ((await res.json()) as { traces: unknown[] }).traces.length === SHOP_TRACES ? true : undefined;
    }, 20_000);
    // The ingester writes its metrics at each minute boundary and on shutdown: a restart makes them readable now.
    assert.equal(await ariadne.stop(), 0);
    ariadne = await startAriadne(dataDir);
    browser = await launchBrowser();
    page = await newPage(browser);
  });
  after(async () => {
    await browser?.close();
    await ariadne?.stop();
  });

  it('serves the UI at / with a fallback to index.html for client routes, and JSON 404s under /api', async () => {
    const root = await fetch(url('/'));
    assert.equal(root.status, 200);
    assert.match(await root.text(), /<div id="root">/);
    const deep = await fetch(url('/trace/0123?span=x'));
    assert.equal(deep.status, 200);
    assert.match(deep.headers.get('content-type') ?? '', /text\/html/);
    const api = await fetch(url('/api/nope'));
    assert.equal(api.status, 404);
    assert.equal(((await api.json()) as { statusCode: number }).statusCode, 404);
    await page.goto(url('/'));
    await page.waitForURL(/\/search$/);
  });

  it('searches: a dot and a row per trace, filters by tag (=, !=, regex), errors only and duration', async () => {
    await page.goto(url('/search?service=frontend'));
    await page.locator('.trace-item').first().waitFor();
    assert.equal(await count('.trace-item'), SHOP_TRACES);
    assert.equal(await count('.scatter circle.dot'), SHOP_TRACES);
    assert.equal(await count('.scatter circle.dot-error'), traces.filter((t) => t.error).length);
    const slowest = traces[SHOP_TRACES - 1];
    const item = page.locator(`.trace-item[data-trace-id="${slowest.traceId}"]`);
    assert.match(await item.locator('.trace-title').innerText(), new RegExp(`frontend: GET ${slowest.route}`));
    assert.equal(await item.locator('.trace-duration').innerText(), `${slowest.durationMs}ms`);
    assert.match(await item.innerText(), /5 spans/);
    assert.match(await item.innerText(), /backend \(3\)/);
    await screenshot(page, 'search');

    // The form writes the search into the URL; the results follow the URL.
    const expectCount = async (n: number) => {
      await page.waitForFunction((n) => document.querySelectorAll('.trace-item').length === n || (n === 0 && !!document.querySelector('.state-empty')), n);
      assert.equal(await count('.trace-item'), n);
    };
    await page.locator('textarea[name=tags]').fill('customer=c1');
    await page.getByRole('button', { name: 'Find traces' }).click();
    await page.waitForURL(/tag=customer%3Dc1/);
    await expectCount(traces.filter((t) => t.customer === 'c1').length);
    await page.locator('textarea[name=tags]').fill('customer!=c1\nhttp.route=~^/cart$');
    await page.getByRole('button', { name: 'Find traces' }).click();
    await expectCount(traces.filter((t) => t.customer !== 'c1' && t.route === '/cart').length);
    await page.locator('textarea[name=tags]').fill('');
    await page.locator('input[name=errors]').check();
    await page.getByRole('button', { name: 'Find traces' }).click();
    await page.waitForURL(/errors=true/);
    await expectCount(traces.filter((t) => t.error).length);
    await page.goto(url('/search?service=frontend&minDuration=200ms'));
    await expectCount(traces.filter((t) => t.durationMs >= 200).length);
    assert.equal(await page.locator('input[name=minDuration]').inputValue(), '200ms');
    await page.goto(url('/search?service=frontend&tag=customer%3Dnobody'));
    await page.locator('.state-empty').waitFor();
    await page.goto(url('/search?service=frontend&tag=bad%3D~(unclosed'));
    assert.match(await page.locator('.state-error').innerText(), /invalid regex/);
  });

  it('opens a trace from the scatter plot: one row per span, nested, with durations and error marks', async () => {
    const t = traces.find((x) => x.error && x.durationMs >= 100)!;
    await page.goto(url('/search?service=frontend'));
    await page.locator(`.scatter circle[data-trace-id="${t.traceId}"]`).click();
    await page.waitForURL(new RegExp(`/trace/${t.traceId}$`));
    await page.locator('.wf-row').first().waitFor();
    assert.equal(await count('.wf-row'), 5);
    assert.equal(await page.getByTestId('trace-span-count').innerText(), '5');
    assert.equal(await page.getByTestId('trace-duration').innerText(), `${t.durationMs}ms`);
    const levels = await page.locator('.wf-row').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('aria-level')} ${r.querySelector('.wf-op')!.textContent}`));
    assert.deepEqual(levels, [`1 GET ${t.route}`, '2 call backend', '3 handle', '4 SELECT orders', '4 publish order']);
    assert.equal(await rowOf('handle').locator('.error-mark').count(), 1);
    assert.equal(await rowOf('SELECT orders').locator('.error-mark').count(), 0);
    assert.equal(await rowOf('handle').locator('.wf-label').innerText(), `${t.durationMs - 8}ms`);
    assert.equal(await rowOf('SELECT orders').locator('.wf-label').innerText(), `${t.durationMs / 2}ms`);
    assert.ok((await count('.wf-critical')) >= 3, 'the critical path is drawn');
    await page.locator('.minimap canvas').waitFor();
    await screenshot(page, 'trace');
  });

  it('shows span details: attributes, exception event with stack, resource and scope', async () => {
    await rowOf('handle').click();
    const details = page.locator('.span-details');
    await details.waitFor();
    assert.match(page.url(), /\?span=[0-9a-f]{16}$/);
    assert.match(await details.getByTestId('span-status').innerText(), /error: payment declined/);
    assert.match(await details.locator('table[aria-label=Attributes]').innerText(), /customer\s+c0/);
    assert.match(await details.locator('.event.exception').innerText(), /exception\.message\s+payment declined for order 10\d\d/);
    assert.match(await details.locator('.event.exception pre.stacktrace').innerText(), /at charge \(payments\.js:42:11\)/);
    assert.match(await details.locator('table[aria-label=Resource]').innerText(), /service\.name\s+backend/);
    assert.match(await details.innerText(), /web-e2e 1\.2\.3/);
    await screenshot(page, 'trace-details');
    // The selection survives a reload: it is in the URL.
    await page.reload();
    await page.locator('.span-details').waitFor();
    assert.match(await page.locator('.span-details h2').innerText(), /backend: handle/);
  });

  it('moves and folds with the keyboard and finds in the trace', async () => {
    await page.locator('.wf-scroll').focus();
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    assert.match(await page.locator('.wf-row.selected .wf-op').innerText(), /call backend/);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowLeft'); // fold `handle`
    assert.equal(await count('.wf-row'), 3);
    await page.keyboard.press('ArrowRight'); // unfold
    assert.equal(await count('.wf-row'), 5);
    await page.keyboard.press('ArrowRight'); // to the first child
    assert.match(await page.locator('.wf-row.selected .wf-op').innerText(), /SELECT orders/);
    await page.keyboard.press('/');
    await page.keyboard.type('kafka');
    assert.equal(await page.getByTestId('find-count').innerText(), '1 match');
    await page.keyboard.press('Enter');
    assert.match(await page.locator('.wf-row.selected .wf-op').innerText(), /publish order/);
    assert.equal(await count('.wf-row.match'), 1);
  });

  it('copies and downloads the trace as JSON', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download JSON' }).click()]);
    assert.match(download.suggestedFilename(), /^trace-[0-9a-f]{32}\.json$/);
    const body = JSON.parse(await (await download.createReadStream()).toArray().then((c) => Buffer.concat(c).toString('utf8')));
    assert.equal(body.resourceSpans.length, 2);
  });

  it('zooms the waterfall to a time window dragged on the ruler, and resets', async () => {
    const t = traces.find((x) => x.error && x.durationMs >= 100)!;
    await page.goto(url(`/trace/${t.traceId}`));
    await page.locator('.wf-row').first().waitFor();
    const rootBar = () => page.locator('.wf-row').first().locator('.wf-bar').evaluate((el) => [parseFloat((el as HTMLElement).style.left), parseFloat((el as HTMLElement).style.width)]);
    const rootBarLeft = async () => (await rootBar())[0];
    const firstTick = () => page.locator('.wf-ruler .wf-tick').first().innerText();
    assert.equal(await firstTick(), '0');
    assert.equal(await rootBarLeft(), 0);
    assert.ok(await page.getByRole('button', { name: 'Reset zoom' }).isDisabled());
    // Drag across the second half of the ruler.
    const ruler = (await page.getByTestId('ruler').boundingBox())!;
    const y = ruler.y + ruler.height / 2;
    await page.mouse.move(ruler.x + ruler.width * 0.5, y);
    await page.mouse.down();
    await page.mouse.move(ruler.x + ruler.width * 0.75, y, { steps: 4 });
    await page.mouse.move(ruler.x + ruler.width - 1, y, { steps: 4 });
    await page.mouse.up();
    await page.getByTestId('zoom-window').waitFor();
    // The root starts at 0 and the window at half the trace: its bar begins a window's width to the left and is two windows wide.
    const [left, width] = await rootBar();
    assert.ok(left < -90 && left > -110, `root bar left ${left}%`);
    assert.ok(width > 190 && width < 210, `root bar width ${width}%`);
    assert.notEqual(await firstTick(), '0');
    assert.equal(await page.getByTestId('minimap-zoom').count(), 1);
    await screenshot(page, 'trace-zoomed');
    // A click on the ruler is not a window.
    await page.mouse.click(ruler.x + ruler.width * 0.3, y);
    assert.ok(Math.abs((await rootBarLeft()) - left) < 1e-6);
    await page.getByRole('button', { name: 'Reset zoom' }).click();
    assert.equal(await rootBarLeft(), 0);
    assert.equal(await firstTick(), '0');
    assert.equal(await page.getByTestId('zoom-window').count(), 0);
    assert.equal(await page.getByTestId('minimap-zoom').count(), 0);
  });

  it('compares two traces span path by span path', async () => {
    const [a, b] = [traces[1], traces[9]];
    await page.goto(url(`/search?service=frontend&route=`));
    await page.locator(`.trace-item[data-trace-id="${a.traceId}"] input[type=checkbox]`).check();
    await page.locator(`.trace-item[data-trace-id="${b.traceId}"] input[type=checkbox]`).check();
    await page.getByRole('button', { name: /Compare selected/ }).click();
    await page.waitForURL(/\/compare\?a=/);
    await page.locator('table.compare tbody tr').first().waitFor();
    assert.equal(await count('table.compare tbody tr'), 5);
    const handle = page.locator('table.compare tr[data-path$="backend: handle"]');
    assert.match(await handle.locator('td.diff').innerText(), new RegExp(`^\\+${b.durationMs - a.durationMs}ms`));
    await screenshot(page, 'compare');
  });

  it('draws the service map with services, a database and a queue, and clicks through to a service', async () => {
    await page.goto(url('/map'));
    await page.locator('.service-map svg').waitFor();
    assert.equal(await count('.node-service'), 2);
    assert.equal(await page.locator('.node-database').getAttribute('data-node'), 'postgresql/shop');
    assert.equal(await page.locator('.node-queue').getAttribute('data-node'), 'kafka/orders');
    const edge = page.locator('[data-edge="frontend→backend"]');
    assert.match(await edge.locator('.edge-label').textContent() ?? '', new RegExp(`${SHOP_TRACES} calls · 33\\.3% err`));
    assert.equal(await page.locator('[data-edge="backend→postgresql/shop"]').count(), 1);
    await screenshot(page, 'service-map');
    await page.locator('.node[data-node=backend]').click();
    await page.waitForURL(/\/services\/backend/);
  });

  it('shows a service: charts, operations with rate and latency, top slow and failing operations', async () => {
    await page.locator('table[aria-label=Operations] tbody tr').first().waitFor();
    // The charts load on their own, beside the operations.
    await page.locator('figure.chart').nth(2).waitFor();
    assert.equal(await count('figure.chart'), 3);
    const row = page.locator('table[aria-label=Operations] tr', { hasText: 'handle' });
    assert.match(await row.innerText(), new RegExp(`handle\\s+${SHOP_TRACES}\\s+33\\.3%`));
    assert.match(await page.locator('ol[aria-label="Most failing operations"]').innerText(), /handle 4 errors/);
    assert.ok((await page.locator('figure.chart path[stroke]').count()) >= 3);
    await screenshot(page, 'service');
    await row.getByRole('link', { name: 'Traces' }).click();
    await page.waitForURL(/\/search\?service=backend&operation=handle/);
    await page.locator('.trace-item').first().waitFor();
    assert.equal(await count('.trace-item'), SHOP_TRACES);
    await page.goto(url('/services'));
    await page.locator('table[aria-label=Services] tbody tr').first().waitFor();
    assert.equal(await count('table[aria-label=Services] tbody tr'), 2);
    await screenshot(page, 'services');
  });

  it('groups errors with counts over time and example traces', async () => {
    await page.goto(url('/errors'));
    const group = page.locator('.error-group', { hasText: 'payment declined' }).first();
    await group.waitFor();
    assert.match(await group.innerText(), /backend/);
    assert.match(await group.locator('.error-count').innerText(), /^4×$/);
    assert.ok((await group.locator('.sparkbars rect').count()) >= 1);
    await screenshot(page, 'errors');
    await group.locator('a.mono').first().click();
    await page.waitForURL(/\/trace\/[0-9a-f]{32}$/);
    await page.locator('.wf-row').first().waitFor();
  });

  it('has a dark theme, fits a laptop screen, and says clearly when a trace is missing', async () => {
    const laptop = await newPage(browser, 1280, 720);
    await laptop.goto(url(`/trace/${traces[3].traceId}`));
    await laptop.locator('.wf-row').first().waitFor();
    await laptop.getByRole('button', { name: /dark theme/ }).click();
    assert.equal(await laptop.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await laptop.locator('.wf-row', { hasText: 'handle' }).click();
    const box = await laptop.locator('.span-details').boundingBox();
    assert.ok(box && box.y + 100 < 720, 'the span details are in view beside or below the waterfall');
    await screenshot(laptop, 'trace-dark-laptop');
    const overflow = await laptop.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no horizontal scroll on a laptop screen (${overflow}px)`);
    await laptop.goto(url('/search?service=frontend'));
    await laptop.locator('.trace-item').first().waitFor();
    await screenshot(laptop, 'search-dark-laptop');
    await laptop.goto(url('/trace/0123456789abcdef0123456789abcdef'));
    assert.match(await laptop.locator('.state-empty').innerText(), /Trace not found/);
    await laptop.close();
  });
});
