import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sendLargeTrace, waitForTrace } from '../../test/e2e/large-trace.js';
import { startAriadne } from '../../test/e2e/start-ariadne.js';
import { ensureWebBuilt, launchBrowser } from '../../test/e2e/web-browser.js';

/*
 * Time to open a trace in the web UI: from navigation to the first waterfall row on screen, in a
 * fresh page each run (browser cache warm, as for a user who opened Ariadne before). Baseline: a
 * 500-span trace in the same run. The API columns: the outline the UI's waterfall reads, and the
 * whole trace as OTLP/JSON (what find and copy read), each fetched and parsed by Node. Then the
 * frame times while scrolling the waterfall, one step per animation frame.
 */

const RUNS = Number(process.env.RUNS ?? 7);
const SIZES = [500, 50_000];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

ensureWebBuilt();
const ariadne = await startAriadne(mkdtempSync(join(tmpdir(), 'ariadne-bench-web-')), ['--processors', 'none']);
const browser = await launchBrowser();
try {
  const traces = [];
  for (const spans of SIZES) {
    const traceId = await sendLargeTrace(ariadne.otlpUrl, spans);
    await waitForTrace(ariadne.queryUrl, traceId, spans);
    traces.push({ spans, traceId });
  }
  // One context, so the UI's files come from the browser cache after the first load.
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const warm = await context.newPage();
  await warm.goto(`${ariadne.queryUrl}/search`);
  await warm.close();
  const rows = [];
  for (const { spans, traceId } of traces) {
    const open: number[] = [];
    const outline: number[] = [];
    const api: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const page = await context.newPage();
      const t0 = performance.now();
      await page.goto(`${ariadne.queryUrl}/trace/${traceId}`);
      await page.locator('.wf-row').first().waitFor({ timeout: 60_000 });
      open.push(performance.now() - t0);
      await page.close();
      const o0 = performance.now();
      await (await fetch(`${ariadne.queryUrl}/api/v1/traces/${traceId}/outline`)).json();
      outline.push(performance.now() - o0);
      const a0 = performance.now();
      await (await fetch(`${ariadne.queryUrl}/api/v1/traces/${traceId}`)).json();
      api.push(performance.now() - a0);
    }
    // Scrolling: 120 steps of 700 px, one per animation frame; the frame times show whether it keeps up.
    const page = await context.newPage();
    await page.goto(`${ariadne.queryUrl}/trace/${traceId}`);
    await page.locator('.wf-row').first().waitFor({ timeout: 60_000 });
    await page.waitForTimeout(1000);
    const scroll = await page.evaluate(async () => {
      const el = document.querySelector('.wf-scroll')!;
      const frames: number[] = [];
      let last = performance.now();
      for (let i = 0; i < 120; i++) {
        el.scrollTop += 700;
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const now = performance.now();
        frames.push(now - last);
        last = now;
      }
      frames.sort((a, b) => a - b);
      return { median: frames[60], p95: frames[113] };
    });
    await page.close();
    rows.push({ spans, outline: median(outline), api: median(api), open: median(open), min: Math.min(...open), max: Math.max(...open), scroll });
  }
  const base = rows[0].open;
  console.log(`\nweb trace open, median of ${RUNS} runs (ms)\n`);
  console.log('| trace | outline API (Node) | full trace API (Node) | open in browser | min | max | vs 500-span baseline |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(`| ${r.spans} spans | ${r.outline.toFixed(0)} | ${r.api.toFixed(0)} | ${r.open.toFixed(0)} | ${r.min.toFixed(0)} | ${r.max.toFixed(0)} | ${(r.open / base).toFixed(1)}× |`);
  }
  console.log('\nscrolling, 120 steps of 700 px one per frame: frame time (ms)\n');
  console.log('| trace | median | p95 |');
  console.log('| --- | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.spans} spans | ${r.scroll.median.toFixed(1)} | ${r.scroll.p95.toFixed(1)} |`);
} finally {
  await browser.close();
  await ariadne.stop();
}
