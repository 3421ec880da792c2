/**
 * The public contract stays honest: custom-elements.json matches the element's source (JSDoc and
 * decorators), and the README tables in docs/embed.md match custom-elements.json.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { relative } from 'node:path';
import { test } from 'node:test';
import { DOC, MANIFEST, ROOT, element, renderDoc } from '../scripts/gen-contract-docs.ts';

const committed = () => JSON.parse(readFileSync(MANIFEST, 'utf8'));

test('custom-elements.json is what the analyzer makes from the current source', () => {
  // The analyzer joins --outdir to the working directory: give it a folder inside the project.
  mkdirSync(`${ROOT}.tmp`, { recursive: true });
  const out = mkdtempSync(`${ROOT}.tmp/cem-`);
  try {
    const r = spawnSync(`${ROOT}node_modules/.bin/cem`, ['analyze', '--outdir', relative(ROOT, out)], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(readFileSync(`${out}/custom-elements.json`, 'utf8')), committed(), 'run `npm run analyze` and commit custom-elements.json');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('the contract tables in docs/embed.md are rendered from custom-elements.json', () => {
  const doc = readFileSync(DOC, 'utf8');
  assert.equal(renderDoc(doc, committed()), doc, 'run `npm run docs:contract` and commit docs/embed.md');
});

test('the manifest holds the documented contract: attributes, events, parts, custom properties', () => {
  const el = element(committed());
  const names = (xs?: { name: string }[]) => (xs ?? []).map((x) => x.name);
  assert.deepEqual(names(el.attributes), ['effort', 'campaign', 'partner', 'lang', 'api', 'theme', 'loading']);
  for (const e of ['sanctuary-signed', 'sanctuary-error', 'sanctuary-queued', 'sanctuary-shared']) assert.ok(names(el.events).includes(e), e);
  assert.deepEqual(names(el.events).filter((n) => !n.startsWith('sanctuary-')), []);
  for (const p of ['container', 'form', 'submit', 'thanks', 'share', 'queued']) assert.ok(names(el.cssParts).includes(p), p);
  for (const c of names(el.cssProperties)) assert.match(c, /^--sanctuary-[a-z]+(-[a-z]+)*$/);
});
