/**
 * First results: headless Chromium opens the demo partner page served by the real Worker (wrangler dev,
 * fresh local D1) and we count the requests after the page itself and time navigation → the first
 * nearby campaign visible inside the effort widget (`sanctuary-petition[effort]` → `[part~="result"]`).
 * Floor, same page, same load: the host page's own first contentful paint (the widget cannot show
 * anything before the page does). Each load uses a new browser context (empty HTTP cache).
 */
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium.ts';
import { median, notMeasured, round, startBenchWorker, type BenchWorker, type SectionResult } from './lib.ts';
import { BENCH_VARS } from './throughput.ts';

const TITLE = 'First results (demo page, headless Chromium)';
const RUNS = 7;

interface Load {
  firstResultMs: number;
  fcpMs: number;
  widget: string[];
  effortApi: string[];
  otherApi: string[];
  hostOwn: string[];
}

async function once(browser: Browser, url: string): Promise<Load> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const requests: string[] = [];
  page.on('request', (r) => requests.push(new URL(r.url()).pathname + new URL(r.url()).search));
  // Polls each frame for the first result painted inside the effort widget's shadow root. (A string:
  // tsx would wrap a named function in a helper the page does not have.)
  await page.addInitScript(`(() => {
    const check = () => {
      const host = document.querySelector('sanctuary-petition[effort]');
      const item = host && host.shadowRoot && host.shadowRoot.querySelector('[part~="result"]');
      const box = item && item.getBoundingClientRect();
      if (box && box.width > 0 && box.height > 0) window.__firstResultAt = performance.now();
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  })();`);
  await page.goto(url, { waitUntil: 'commit' });
  await page.locator('sanctuary-petition[effort] [part~="result"]').first().waitFor({ state: 'visible', timeout: 20_000 });
  await page.waitForFunction(() => (window as unknown as { __firstResultAt?: number }).__firstResultAt !== undefined);
  const timing = await page.evaluate(() => ({
    firstResultMs: (window as unknown as { __firstResultAt: number }).__firstResultAt,
    fcpMs: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
  }));
  await context.close();
  const [, ...after] = requests; // requests[0] is the page itself
  return {
    ...timing,
    widget: after.filter((p) => p.startsWith('/widget')),
    effortApi: after.filter((p) => p.startsWith('/v1/efforts/')),
    otherApi: after.filter((p) => p.startsWith('/v1/') && !p.startsWith('/v1/efforts/')),
    hostOwn: after.filter((p) => !p.startsWith('/v1/') && !p.startsWith('/widget')),
  };
}

export async function run(): Promise<SectionResult> {
  const executablePath = findChromium();
  if (!executablePath) return notMeasured(TITLE, 'no Chromium found (install chromium or set CHROME_PATH)');
  let worker: BenchWorker | undefined;
  let browser: Browser | undefined;
  try {
    worker = await startBenchWorker({ name: 'first-results', vars: BENCH_VARS, readyPath: '/v1/efforts/expand-sanctuary' });
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
    const cold = await once(browser, `${worker.url}/`); // the Worker's read cache is empty here
    const warm: Load[] = [];
    for (let i = 0; i < RUNS; i++) warm.push(await once(browser, `${worker.url}/`));
    const first = warm[0]!;
    const widgetRequests = first.widget.length + first.effortApi.length;
    const t = median(warm.map((l) => l.firstResultMs));
    const fcp = median(warm.map((l) => l.fcpMs));
    return {
      title: TITLE,
      figures: [
        {
          name: 'requests for the effort widget after the page',
          value: widgetRequests,
          unit: '',
          better: 'lower',
          floor: { name: 'widget.js + one API call', value: 2 },
          goal: { text: '2 (widget.js and one API call)', met: widgetRequests <= 2 },
          note: `${[...first.widget, ...first.effortApi].join(' + ')}: the lookup near the visitor carries the effort too.`,
        },
        {
          name: 'navigation → first nearby campaign visible (median)',
          value: round(t),
          unit: 'ms',
          better: 'lower',
          floor: { name: "host page's own first contentful paint", value: round(fcp) },
          note: `${round(t - fcp)} ms after the page itself paints; with an empty Worker cache (first load of the run) it took ${round(cold.firstResultMs)} ms.`,
        },
      ],
      details: [
        `${RUNS} loads after one cold load, each in a new browser context (empty HTTP cache), median; the local Worker on 127.0.0.1 (no network latency: on a phone add the round trips).`,
        `The page's own files (not the widget's): ${first.hostOwn.join(', ') || 'none'}. The pinned campaign widget on the same page: ${first.otherApi.join(', ') || 'none'}.`,
        `Each load's time to the first result (ms): ${warm.map((l) => round(l.firstResultMs, 0)).join(', ')}; visibility checked each animation frame (~16 ms resolution).`,
      ],
    };
  } finally {
    await browser?.close();
    await worker?.stop();
  }
}
