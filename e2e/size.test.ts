/**
 * The widget's size budget, enforced on the built bundle (sizes are deterministic; timings are not and
 * live in bench/): dist/widget.js is everything a partner page downloads for the widget (it imports no
 * other file), and gzipped it fits in 20,000 bytes with both languages; zod (or any of its mini build)
 * stayed out of the browser. `npm run bench` reports the same figures against their floor.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ROOT, build } from '../scripts/local-worker.ts';

/** Same budget as bench/size.ts (tests do not import bench/). */
const BUDGET = 20_000;
const BUNDLE = `${ROOT}dist/widget.js`;

if (!existsSync(BUNDLE)) build();
const source = readFileSync(BUNDLE);
const text = source.toString('utf8');

test(`dist/widget.js, everything a partner page downloads, is at most ${BUDGET} bytes gzipped`, () => {
  const gzip = gzipSync(source, { level: 9 }).length;
  assert.ok(gzip <= BUDGET, `widget.js is ${gzip} B gzip, over the ${BUDGET} B budget (run \`npm run bench\` for the breakdown)`);
});

test('dist/widget.js imports no other file, up front or on demand (its size is everything)', () => {
  assert.doesNotMatch(text, /(?:^|[;}\s,(=])import\s*[\w{*"'(]/, 'widget.js imports another module');
});

test('dist/widget.js carries both languages and no zod', () => {
  assert.ok(text.includes('Firmar') && text.includes('Find your local campaign'), 'English and Spanish texts are in the bundle');
  for (const marker of ['ZodError', '$ZodType', '_zod', 'zod']) assert.ok(!text.includes(marker), `zod is in the bundle (${marker})`);
});
