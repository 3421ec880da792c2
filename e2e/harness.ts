/**
 * End-to-end harness: the real Worker under `wrangler dev` with its own fresh local D1 database
 * (migrations + demo seed), and real Chromium driven by playwright-core. Nothing is stubbed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_HINT, findChromium } from '../scripts/chromium.ts';
import { ROOT, build, freshStateDir, prepareDatabase, startWorker, wranglerEnv, type LocalWorker } from '../scripts/local-worker.ts';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface Stack {
  worker: LocalWorker;
  browser: Browser;
  stateDir: string;
  /** Runs SQL against the local D1 database the Worker is using, and returns the rows. */
  query<T = Record<string, unknown>>(sql: string): T[];
  close(): Promise<void>;
}

export async function startStack(name: string, opts: { vars?: Record<string, string>; testScheduled?: boolean } = {}): Promise<Stack> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(CHROMIUM_HINT);
  if (!existsSync(`${ROOT}dist/widget.js`)) build();
  const stateDir = freshStateDir(name);
  prepareDatabase(stateDir);
  // A robot fills forms in milliseconds, which the Worker's minimum-time check (MIN_SUBMIT_MS) rightly
  // takes for a bot and drops: off here. That check is tested in the worker tests; the honeypot stays on.
  const worker = await startWorker({
    port: await freePort(),
    persistTo: stateDir,
    vars: { MIN_SUBMIT_MS: '0', ...opts.vars },
    testScheduled: opts.testScheduled,
  });
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  const query = <T>(sql: string): T[] => {
    const r = spawnSync(
      `${ROOT}node_modules/.bin/wrangler`,
      ['d1', 'execute', 'DB', '--local', '--persist-to', stateDir, '--json', '--command', sql],
      { cwd: ROOT, env: wranglerEnv(), encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`d1 execute failed: ${r.stderr}`);
    return JSON.parse(r.stdout)[0].results as T[];
  };
  return {
    worker,
    browser,
    stateDir,
    query,
    async close() {
      await browser.close();
      await worker.stop();
    },
  };
}

/** Registers a partner and one of its sites, so signatures from that site credit it. */
export function registerPartner(stack: Stack, code: string, name: string, origin: string): void {
  const q = (v: string) => `'${v.replace(/'/g, "''")}'`;
  stack.query(
    `INSERT INTO partners (code, name) VALUES (${q(code)}, ${q(name)});
     INSERT INTO partner_origins (partner_code, origin) VALUES (${q(code)}, ${q(origin)})`,
  );
}

/**
 * Watches a page from its first script on: page errors, console errors (but those matching
 * `allowConsole`), Content-Security-Policy violations, and the `detail` of each named event
 * dispatched on the document (the widget's events bubble out of its shadow root).
 */
export async function watchPage(page: Page, opts: { events?: string[]; allowConsole?: RegExp } = {}) {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !opts.allowConsole?.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  await page.addInitScript((types: string[]) => {
    const w = window as unknown as { __csp: string[]; __events: Record<string, unknown[]> };
    w.__csp = [];
    w.__events = {};
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`), true);
    for (const type of types) {
      w.__events[type] = [];
      document.addEventListener(type, (e) => w.__events[type]!.push((e as CustomEvent).detail));
    }
  }, opts.events ?? []);
  return {
    problems,
    csp: () => page.evaluate(() => (window as unknown as { __csp: string[] }).__csp),
    events: <T = Record<string, unknown>>(type: string) =>
      page.evaluate((t) => (window as unknown as { __events: Record<string, unknown[]> }).__events[t] ?? [], type) as Promise<T[]>,
  };
}

/** Fills the widget's English sign form (first name, last name, email, ZIP). Sending it is the caller's. */
export async function fillSignForm(w: Locator, p: { first: string; last: string; email: string; zip: string }): Promise<void> {
  await w.getByLabel('First name').fill(p.first);
  await w.getByLabel('Last name').fill(p.last);
  await w.getByLabel('Email').fill(p.email);
  await w.getByLabel('ZIP code', { exact: true }).fill(p.zip);
}
