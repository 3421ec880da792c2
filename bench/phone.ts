/**
 * First result on a phone: the demo partner page in headless Chromium under a slow 4G profile and a
 * slow CPU (CDP Network.emulateNetworkConditions: 150 ms RTT, 1.6 Mbps down, 750 kbps up;
 * Emulation.setCPUThrottlingRate 4), navigation → the first nearby campaign visible inside the effort
 * widget. Floor, same Worker, same throttling, same run: the same page with the floor element
 * (bench/floor/floor-finder.ts: a trivial Lit element built like widget.js that asks the same lookup
 * once and paints its first result) in place of the widgets: the page's own first paint plus one round
 * trip for the script and one for the API. Each load in a new browser context (empty HTTP cache);
 * the Worker's read cache is warm (one load first), as it is for all but the first visitor.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { build, mergeConfig, type InlineConfig, type UserConfig } from 'vite';
import rootConfig from '../vite.config.ts';
import { ROOT } from '../scripts/local-worker.ts';
import { CHROMIUM_ARGS, findChromium } from '../scripts/chromium.ts';
import { median, notMeasured, round, startBenchWorker, type BenchWorker, type SectionResult } from './lib.ts';
import { BENCH_VARS } from './throughput.ts';

const TITLE = 'First result on a phone (slow 4G, 4× slower CPU)';
const RUNS = 5;
const RTT_MS = 150;
const DOWN_BPS = 1.6e6;
const UP_BPS = 750e3;
const CPU_SLOWDOWN = 4;
/** The floor page and its script, put beside the demo in dist/ for this section only. */
const FLOOR_DIR = `${ROOT}dist/bench-floor`;

async function buildFloor() {
  const { publicDir: _public, ...base } = rootConfig as UserConfig;
  await build(
    mergeConfig(base, {
      configFile: false,
      logLevel: 'warn',
      publicDir: false,
      build: { outDir: FLOOR_DIR, emptyOutDir: true, lib: { entry: `${ROOT}bench/floor/floor-finder.ts`, fileName: () => 'floor.js' } },
    } satisfies InlineConfig),
  );
  // The demo page with the floor element in place of the two widgets.
  const demo = readFileSync(`${ROOT}dist/index.html`, 'utf8');
  const page = demo
    .replace('src="/widget.js"', 'src="/bench-floor/floor.js"')
    .replace(/<sanctuary-petition effort="([^"]+)"[^>]*><\/sanctuary-petition>/, '<floor-finder effort="$1"></floor-finder>')
    .replace(/<sanctuary-petition campaign="[^"]+"[^>]*><\/sanctuary-petition>/, '');
  if (!page.includes('<floor-finder') || page.includes('<sanctuary-petition')) throw new Error('the demo page changed: bench/phone.ts cannot make its floor page');
  mkdirSync(FLOOR_DIR, { recursive: true });
  writeFileSync(`${FLOOR_DIR}/index.html`, page);
}

async function once(browser: Browser, url: string, result: string): Promise<{ ms: number; bytes: number }> {
  // The default 1280×720 viewport: on a phone-sized one the effort widget of the demo page is below
  // the fold, and it waits to be scrolled into view (lazy), which the floor element does not.
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: RTT_MS, downloadThroughput: DOWN_BPS / 8, uploadThroughput: UP_BPS / 8 });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  let bytes = 0;
  cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => (bytes += e.encodedDataLength));
  await page.addInitScript(`(() => {
    const [host, part] = ${JSON.stringify(result.split(' '))};
    const check = () => {
      const el = document.querySelector(host);
      const item = el && el.shadowRoot && el.shadowRoot.querySelector(part);
      const box = item && item.getBoundingClientRect();
      if (box && box.width > 0 && box.height > 0) window.__firstResultAt = performance.now();
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  })();`);
  await page.goto(url, { waitUntil: 'commit' });
  try {
    await page.locator(result).first().waitFor({ state: 'visible', timeout: 40_000 });
    await page.waitForFunction(() => (window as unknown as { __firstResultAt?: number }).__firstResultAt !== undefined, undefined, { timeout: 10_000 });
  } catch (e) {
    const seen = await page.evaluate(`(() => { const h = document.querySelector(${JSON.stringify(result.split(' ')[0])}); return h ? (h.shadowRoot ? h.shadowRoot.innerHTML.slice(0, 160) : 'no shadow root') : 'no element'; })()`).catch(() => '?');
    await context.close();
    throw new Error(`${url}: ${(e as Error).message.split('\n')[0]}; the element held: ${String(seen)}`);
  }
  const ms = await page.evaluate(() => (window as unknown as { __firstResultAt: number }).__firstResultAt);
  await context.close();
  return { ms, bytes };
}

export async function run(): Promise<SectionResult> {
  const executablePath = findChromium();
  if (!executablePath) return notMeasured(TITLE, 'no Chromium found (install chromium or set CHROME_PATH)');
  let worker: BenchWorker | undefined;
  let browser: Browser | undefined;
  try {
    await buildFloor();
    worker = await startBenchWorker({ name: 'phone', vars: BENCH_VARS, readyPath: '/v1/efforts/expand-sanctuary' });
    const widgetJs = await fetch(`${worker.url}/widget.js`, { headers: { 'accept-encoding': 'gzip, br' } });
    const encoding = widgetJs.headers.get('content-encoding') ?? 'none';
    await widgetJs.arrayBuffer();
    browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
    const real = { url: `${worker.url}/`, result: 'sanctuary-petition[effort] [part~="result"]' };
    const floor = { url: `${worker.url}/bench-floor/index.html`, result: 'floor-finder [part~="result"]' };
    await once(browser, real.url, real.result); // warms the Worker's read cache and workerd
    await once(browser, floor.url, floor.result);
    const reals: Array<{ ms: number; bytes: number }> = [];
    const floors: Array<{ ms: number; bytes: number }> = [];
    // Alternating, so drift on the machine hits both alike.
    for (let i = 0; i < RUNS; i++) {
      reals.push(await once(browser, real.url, real.result));
      floors.push(await once(browser, floor.url, floor.result));
    }
    const t = median(reals.map((l) => l.ms));
    const f = median(floors.map((l) => l.ms));
    return {
      title: TITLE,
      figures: [
        {
          name: 'navigation → first nearby campaign visible, on a phone (median)',
          value: round(t),
          unit: 'ms',
          better: 'lower',
          floor: { name: 'same page, floor element: first paint + script + one API call', value: round(f) },
          goal: { text: '≤ 1.3× the floor', met: t <= 1.3 * f },
          note: `${round(median(reals.map((l) => l.bytes)) / 1024)} kB over the network for the demo page with its two widgets against ${round(median(floors.map((l) => l.bytes)) / 1024)} kB for the floor page; widget.js served with content-encoding: ${encoding} locally.`,
        },
      ],
      details: [
        `Throttling through CDP: ${RTT_MS} ms RTT, ${DOWN_BPS / 1e6} Mbps down, ${UP_BPS / 1e3} kbps up, CPU ${CPU_SLOWDOWN}× slower; ${RUNS} loads each, alternating, after one warm-up load of each; median.`,
        `Each load (ms), demo / floor: ${reals.map((l, i) => `${round(l.ms, 0)} / ${round(floors[i]!.ms, 0)}`).join('; ')}.`,
        encoding === 'none'
          ? 'wrangler dev serves assets uncompressed, to both pages alike; Cloudflare serves them brotli-compressed (see "Widget bytes"), which shortens the widget\'s download more than the floor\'s.'
          : `Assets served with ${encoding} locally, as on Cloudflare.`,
      ],
    };
  } finally {
    await browser?.close();
    await worker?.stop();
    rmSync(FLOOR_DIR, { recursive: true, force: true });
  }
}
