/**
 * The widget's size budget, enforced on the built bundle (sizes are deterministic; timings are not and
 * live in bench/): dist/widget.js, what every visitor of a partner page downloads, gzipped fits in
 * 20,000 bytes with both languages, and zod (or any of its mini build) stayed out of the browser.
 * The one on-demand file (thanks/share panel and start-a-campaign form, fetched when a sign form or the
 * start form is shown) has its own budget and must import nothing (it serves beside a pinned version).
 * `npm run bench` reports the same figures against their floor.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ROOT, build } from '../scripts/local-worker.ts';

/** Same budget as bench/size.ts (tests do not import bench/). */
const BUDGET = 20_000;
/** The on-demand file: fetched only by visitors who sign or start a campaign. */
const MORE_BUDGET = 6_000;
const BUNDLE = `${ROOT}dist/widget.js`;

if (!existsSync(BUNDLE)) build();
const source = readFileSync(BUNDLE);
const text = source.toString('utf8');

test(`dist/widget.js is at most ${BUDGET} bytes gzipped`, () => {
  const gzip = gzipSync(source, { level: 9 }).length;
  assert.ok(gzip <= BUDGET, `widget.js is ${gzip} B gzip, over the ${BUDGET} B budget (run \`npm run bench\` for the breakdown)`);
});

/** The files widget.js imports on demand (`import("./widget-more-<hash>.js")`). */
const lazy = [...text.matchAll(/\bimport\(\s*[`'"]\.\/([\w.-]+\.js)[`'"]\s*\)/g)].map((m) => m[1]!);

test('dist/widget.js imports nothing up front, and one file on demand', () => {
  const withoutLazy = text.replace(/\bimport\(\s*[`'"]\.\/[\w.-]+\.js[`'"]\s*\)/g, '');
  assert.doesNotMatch(withoutLazy, /(?:^|[;}\s])import\s*[\w{*"'(]/, 'widget.js imports another module');
  assert.deepEqual(lazy.length, 1, `expected one on-demand file, found ${JSON.stringify(lazy)}`);
  assert.match(lazy[0]!, /^widget-more-[\w-]+\.js$/, 'the on-demand file is served under /widget-* (CORS, immutable)');
});

test(`the on-demand file exists, imports nothing and is at most ${MORE_BUDGET} bytes gzipped`, () => {
  const more = readFileSync(`${ROOT}dist/${lazy[0]}`);
  assert.doesNotMatch(more.toString('utf8'), /(?:^|[;}\s])import\s*[\w{*"'(]/, 'the on-demand file imports a module');
  const gzip = gzipSync(more, { level: 9 }).length;
  assert.ok(gzip <= MORE_BUDGET, `${lazy[0]} is ${gzip} B gzip, over its ${MORE_BUDGET} B budget`);
});

test('dist/widget.js carries both languages and no zod', () => {
  assert.ok(text.includes('Firmar') && text.includes('Find your local campaign'), 'English and Spanish texts are in the bundle');
  for (const marker of ['ZodError', '$ZodType', '_zod', 'zod']) assert.ok(!text.includes(marker), `zod is in the bundle (${marker})`);
});
