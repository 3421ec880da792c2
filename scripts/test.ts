/**
 * `npm test`: every test, in the order a failure is cheapest to read.
 *   1. types (tsc, widget and worker), lint (ESLint, Prettier), the demo seed up to date
 *   2. build widget.js and the demo (the tests use the built bundle too)
 *   3. worker tests inside workerd with the real D1 engine (vitest + @cloudflare/vitest-pool-workers)
 *   4. widget tests in real Chromium (@web/test-runner)
 *   5. end-to-end tests: playwright-core driving Chromium against the real local Worker (node:test)
 * Ends with one plain line "N passed, N failed" over all runners.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { CHROMIUM_HINT, findChromium } from './chromium.ts';
import { BUILDS, ROOT, wranglerEnv } from './local-worker.ts';

const chrome = findChromium();
if (!chrome) {
  console.error(CHROMIUM_HINT);
  process.exit(1);
}
process.env.CHROME_PATH = chrome;
const TMP = `${ROOT}.tmp`;
mkdirSync(TMP, { recursive: true });
const bin = (name: string) => `${ROOT}node_modules/.bin/${name}`;

let passed = 0;
let failed = 0;
const failures: string[] = [];

function step(name: string, cmd: string, args: string[], count?: () => { passed: number; failed: number } | null) {
  console.log(`\n▶ ${name}`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...wranglerEnv(), FORCE_COLOR: process.env.CI ? '0' : '1' } });
  const counted = count?.() ?? null;
  if (counted) {
    passed += counted.passed;
    failed += counted.failed;
  }
  if (r.status !== 0) {
    failures.push(name);
    // A runner that crashed before counting its tests still counts as one failure.
    if (!counted || counted.failed === 0) failed += 1;
  } else if (!count) passed += 1;
}

const readJson = (path: string) => (existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : null);
const fresh = (path: string) => (rmSync(path, { force: true }), path);

step('typecheck: widget, scripts, e2e', bin('tsc'), ['-p', 'tsconfig.json']);
step('typecheck: worker', bin('tsc'), ['-p', 'worker/tsconfig.json']);
// npm run lint, as two steps (each failure named on its own).
step('lint: ESLint (widget, start, common)', bin('eslint'), ['widget', 'start', 'common']);
step('lint: Prettier (widget, common)', bin('prettier'), ['--check', 'widget', 'common']);
step('demo seed is generated from the seed page', bin('tsx'), ['scripts/gen-demo-seed.ts', '--check']);
for (const b of BUILDS) step(`build ${b.what}`, bin('vite'), b.args);

const vitestOut = fresh(`${TMP}/vitest.json`);
step('worker tests (workerd + D1)', bin('vitest'), ['run', '--config', 'worker/vitest.config.ts', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestOut}`], () => {
  const r = readJson(vitestOut);
  return r && { passed: r.numPassedTests, failed: r.numFailedTests };
});

const wtrOut = fresh(`${TMP}/wtr-results.json`);
step('widget tests (Chromium)', bin('wtr'), ['--config', 'web-test-runner.config.mjs'], () => readJson(wtrOut));

const tap = fresh(`${TMP}/e2e.tap`);
step(
  'end-to-end tests (Chromium against the local Worker)',
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-timeout=240000', '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...readdirSync(`${ROOT}e2e`).filter((f) => f.endsWith('.test.ts')).map((f) => `e2e/${f}`)],
  () => {
    if (!existsSync(tap)) return null;
    const text = readFileSync(tap, 'utf8');
    const n = (k: string) => Number(new RegExp(`^# ${k} (\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return { passed: n('pass'), failed: n('fail') };
  },
);

console.log('');
if (failures.length) console.log(`failed steps: ${failures.join('; ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failures.length ? 1 : 0);
