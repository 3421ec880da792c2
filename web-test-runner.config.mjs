// Widget tests in real Chromium (@web/test-runner). See TOOLCHAIN.md for the flags and why
// esbuild must be given the tsconfig (legacy decorators, useDefineForClassFields: false).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter, summaryReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';

const root = dirname(fileURLToPath(import.meta.url));

/** Writes {passed, failed, skipped} over all test files to .tmp/wtr-results.json for `npm test`. */
function countsReporter(file = resolve(root, '.tmp/wtr-results.json')) {
  const count = (suite, acc) => {
    if (!suite) return acc;
    for (const t of suite.tests) {
      if (t.skipped) acc.skipped += 1;
      else if (t.passed) acc.passed += 1;
      else acc.failed += 1;
    }
    for (const s of suite.suites) count(s, acc);
    return acc;
  };
  return {
    onTestRunFinished({ sessions }) {
      const total = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        const own = count(session.testResults, { passed: 0, failed: 0, skipped: 0 });
        // A file that failed to load (or threw outside a test) counts as one failure.
        if (session.passed === false && own.failed === 0) own.failed = 1;
        total.passed += own.passed;
        total.failed += own.failed;
        total.skipped += own.skipped;
      }
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${JSON.stringify(total)}\n`);
    },
  };
}

export default {
  rootDir: root,
  files: ['widget/test/**/*.test.ts'],
  nodeResolve: { exportConditions: ['production'] },
  plugins: [esbuildPlugin({ ts: true, tsconfig: resolve(root, 'tsconfig.json') })],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
        headless: true,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--disable-quic',
          '--no-first-run',
        ],
      },
    }),
  ],
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  // Expected console messages from attribute-validation tests are asserted in the tests themselves.
  filterBrowserLogs: ({ args }) => !(typeof args[0] === 'string' && args[0].startsWith('[sanctuary-petition]')),
  reporters: [defaultReporter(), summaryReporter({ flatten: false }), countsReporter()],
};
