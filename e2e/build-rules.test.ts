/**
 * The build's own rules (vite.config.ts, docs/contributing.md), checked on what it made: every file of
 * the widget has its internal `_name` members renamed, its html`…` templates collapsed (no line break
 * and indentation left) and its css`…` minified (no comments, no whitespace around braces). The
 * behaviour of the renamed files is checked in Chromium by widget/test/bundle.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { test } from 'node:test';
import { ROOT, build } from '../scripts/local-worker.ts';

const DIST = `${ROOT}dist/`;
if (!existsSync(`${DIST}widget.js`)) build();
const files = readdirSync(DIST).filter((f) => /^widget(?:\.js$|-[a-z][\w-]*\.js$)/.test(f));

test('the widget is widget.js and the files it loads on demand', () => {
  assert.ok(files.includes('widget.js'));
  assert.ok(files.length >= 3, files.join(', '));
});

for (const file of files) {
  const code = readFileSync(`${DIST}${file}`, 'utf8');
  test(`${file}: internal members renamed, templates collapsed, CSS minified`, () => {
    assert.deepEqual(code.match(/\._[a-z]\w*/g) ?? [], [], 'a `_name` member kept its name (manglePrivateMembers)');
    assert.doesNotMatch(code, /\n[ \t]+/, 'a template kept its line breaks and indentation (collapseTemplateWhitespace)');
    assert.ok(!code.includes('/*'), 'a comment is left (minifyLitCss, or the minifier)');
  });
}

test('widget.js: its styles are minified', () => {
  const code = readFileSync(`${DIST}widget.js`, 'utf8');
  assert.match(code, /:host\{display:block !important;/);
  assert.doesNotMatch(code, /\{\s+[a-z-]+:\s/, 'whitespace inside a CSS rule');
});
