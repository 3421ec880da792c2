/**
 * The widget's size budget, enforced on the built bundle (sizes are deterministic; timings are not and
 * live in bench/). Up front, every visitor downloads dist/widget.js and what it imports statically
 * (nothing: Lit is bundled in it): at most 20,000 bytes gzipped, both languages included. Code only
 * some visitors need after they act (the sign form when a campaign opens, the share panel after a
 * signature) is loaded on demand with
 * `import()`: each such file at most 8,000 bytes gzipped, everything together at most 28,000. zod (or
 * any of its mini build) stays out of the browser. `npm run bench` reports the same figures.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ROOT, build } from '../scripts/local-worker.ts';

/** Same budgets as bench/size.ts (tests do not import bench/). */
const UP_FRONT = 20_000;
const ON_DEMAND_EACH = 8_000;
const TOTAL = 28_000;
const DIST = `${ROOT}dist/`;

if (!existsSync(`${DIST}widget.js`)) build();
const read = (name: string) => readFileSync(`${DIST}${name}`);
const gzip = (b: Buffer) => gzipSync(b, { level: 9 }).length;
const STATIC = /(?:^|[;}\s,)])(?:import|export)\s*(?:[\w{*][^;]*?from\s*)?["'`](\.\/[^"'`]+)["'`]/g;
const DYNAMIC = /\bimport\(\s*["'`](\.\/[^"'`]+)["'`]\s*\)/g;
const widget = read('widget.js');
const text = widget.toString('utf8');
/** Every file widget.js loads on demand, and what those import in turn (but widget.js itself). */
const onDemand = new Map<string, Buffer>();
const visit = (source: string, re: RegExp) => {
  for (const m of source.matchAll(re)) {
    const name = m[1]!.slice(2);
    if (name === 'widget.js' || onDemand.has(name)) continue;
    const bytes = read(name);
    onDemand.set(name, bytes);
    visit(bytes.toString('utf8'), STATIC);
    visit(bytes.toString('utf8'), DYNAMIC);
  }
};
visit(text, DYNAMIC);

test(`dist/widget.js, what every visitor downloads, is at most ${UP_FRONT} bytes gzipped and imports nothing up front`, () => {
  assert.deepEqual([...text.matchAll(STATIC)].map((m) => m[1]), [], 'widget.js imports another module up front');
  const size = gzip(widget);
  assert.ok(size <= UP_FRONT, `widget.js is ${size} B gzip, over the ${UP_FRONT} B budget (run \`npm run bench\` for the breakdown)`);
});

test(`each file loaded on demand is at most ${ON_DEMAND_EACH} B gzipped, and everything at most ${TOTAL} B`, () => {
  assert.ok(onDemand.size >= 2, 'widget.js loads the sign form and the share panel on demand');
  let total = gzip(widget);
  for (const [name, bytes] of onDemand) {
    const size = gzip(bytes);
    total += size;
    assert.ok(size <= ON_DEMAND_EACH, `${name} is ${size} B gzip, over ${ON_DEMAND_EACH} B`);
    assert.ok(name.startsWith('widget-'), `${name} is served with CORS only under /widget-* (demo/_headers)`);
  }
  assert.ok(total <= TOTAL, `widget.js and its on-demand files are ${total} B gzip, over ${TOTAL} B`);
});

test('the pinned copy (widget-<version>.js) loads only pinned files on demand', () => {
  const { version } = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string };
  const pinned = read(`widget-${version}.js`).toString('utf8');
  const names = [...pinned.matchAll(DYNAMIC)].map((m) => m[1]!.slice(2));
  assert.ok(names.length > 0);
  for (const name of names) {
    assert.ok(name.startsWith(`widget-${version}-`), `${name} is not pinned`);
    for (const m of read(name).toString('utf8').matchAll(STATIC)) assert.equal(m[1], `./widget-${version}.js`);
  }
});

test('the widget carries both languages and no zod', () => {
  const all = [text, ...[...onDemand.values()].map(String)].join('\n');
  assert.ok(text.includes('Leer y firmar') && text.includes('Find your local campaign'), 'English and Spanish texts are in widget.js');
  for (const marker of ['ZodError', '$ZodType', '_zod', 'zod']) assert.ok(!all.includes(marker), `zod is in the bundle (${marker})`);
});
