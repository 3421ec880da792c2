/**
 * Widget bytes: what every visitor of a partner page downloads up front (dist/widget.js and every file
 * it imports statically: none, Lit is bundled in it), and what only some load on demand after they act
 * (`import()`: the sign form when a campaign opens, the share panel after a signature), gzip and brotli, against the floor: a trivial Lit element
 * (bench/floor/) built with the same Vite settings into a temporary folder, in the same run.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build, mergeConfig, type InlineConfig, type UserConfig } from 'vite';
import rootConfig from '../vite.config.ts';
import { ROOT } from '../scripts/local-worker.ts';
import type { SectionResult } from './lib.ts';

/** The budgets, also enforced by e2e/size.test.ts in `npm test`. */
export const WIDGET_GZIP_BUDGET = 20_000;
/** What the up-front bytes aim at (issue 16). */
export const WIDGET_GZIP_AIM = 16_000;
/** Each file loaded on demand, and everything together. */
export const ON_DEMAND_GZIP_BUDGET = 8_000;
export const TOTAL_GZIP_BUDGET = 28_000;

export const gzipSize = (b: Buffer) => gzipSync(b, { level: 9 }).length;
export const brotliSize = (b: Buffer) =>
  brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: b.length } }).length;

const STATIC = /(?:^|[;}\s,)])(?:import|export)\s*(?:[\w{*][^;]*?from\s*)?["'`](\.\/[^"'`]+)["'`]/g;
const DYNAMIC = /\bimport\(\s*["'`](\.\/[^"'`]+)["'`]\s*\)/g;

/**
 * The module and every module it imports (relative paths), read from `dir`: with `dynamic`, through
 * `import()` too; `skip` holds files already counted elsewhere.
 */
function moduleGraph(dir: string, entry: string, dynamic = true, skip = new Set<string>()): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const visit = (name: string) => {
    if (files.has(name) || skip.has(name)) return;
    const bytes = readFileSync(join(dir, name));
    files.set(name, bytes);
    const text = bytes.toString('utf8');
    for (const m of text.matchAll(STATIC)) visit(m[1]!.slice(2));
    if (dynamic) for (const m of text.matchAll(DYNAMIC)) visit(m[1]!.slice(2));
  };
  visit(entry);
  return files;
}

const total = (files: Map<string, Buffer>, f: (b: Buffer) => number) => [...files.values()].reduce((s, b) => s + f(b), 0);

export async function run(): Promise<SectionResult> {
  const widget = moduleGraph(`${ROOT}dist`, 'widget.js', false);
  const everything = moduleGraph(`${ROOT}dist`, 'widget.js');
  const lazy = new Map([...everything].filter(([k]) => !widget.has(k)));
  const source = [...everything.values()].map(String).join('\n');
  const upFront = [...widget.values()].map(String).join('\n');
  const bothLanguages = upFront.includes('Leer y firmar') && upFront.includes('Read and sign');

  const outDir = mkdtempSync(join(tmpdir(), 'sanctuary-floor-'));
  try {
    const { publicDir: _public, ...base } = rootConfig as UserConfig;
    await build(
      mergeConfig(base, {
        configFile: false,
        logLevel: 'warn',
        publicDir: false,
        build: { outDir, emptyOutDir: true, lib: { entry: `${ROOT}bench/floor/floor-element.ts`, fileName: () => 'floor.js' } },
      } satisfies InlineConfig),
    );
    const floor = moduleGraph(outDir, 'floor.js');
    const all = { raw: total(widget, (b) => b.length), gzip: total(widget, gzipSize), brotli: total(widget, brotliSize) };
    const others = [...widget.keys()].filter((k) => k !== 'widget.js');
    const files = others.length ? `widget.js and ${others.join(', ')}` : 'widget.js (it imports no other file up front)';
    const f = { raw: total(floor, (b) => b.length), gzip: total(floor, gzipSize), brotli: total(floor, brotliSize) };
    const lazyGzip = [...lazy].map(([name, b]) => ({ name, gzip: gzipSize(b) }));
    const lazyTotal = lazyGzip.reduce((n, x) => n + x.gzip, 0);
    return {
      title: 'Widget bytes (what a partner page downloads)',
      figures: [
        {
          name: 'widget.js and everything it imports up front, gzip',
          value: all.gzip,
          unit: 'B',
          better: 'lower',
          floor: { name: 'trivial Lit element, gzip', value: f.gzip },
          goal: {
            text: `≤ ${WIDGET_GZIP_BUDGET.toLocaleString('en-US')} B gzip (aim ${WIDGET_GZIP_AIM.toLocaleString('en-US')}) for what every visitor downloads, both languages included`,
            met: all.gzip <= WIDGET_GZIP_BUDGET && bothLanguages,
          },
          note: `${files}: Lit, the element (finder, campaign, outbox, thanks), its styles, the API client, English and Spanish; ${all.gzip - f.gzip} B gzip above Lit alone. The start-a-campaign form is the hosted page /start/ (not counted: a partner page never loads it).`,
        },
        {
          name: 'files loaded on demand after an action, gzip',
          value: lazyTotal,
          unit: 'B',
          better: 'lower',
          goal: {
            text: `each ≤ ${ON_DEMAND_GZIP_BUDGET.toLocaleString('en-US')} B gzip, with widget.js ≤ ${TOTAL_GZIP_BUDGET.toLocaleString('en-US')} B`,
            met: lazyGzip.every((x) => x.gzip <= ON_DEMAND_GZIP_BUDGET) && all.gzip + lazyTotal <= TOTAL_GZIP_BUDGET,
          },
          note: lazyGzip.length
            ? `${lazyGzip.map((x) => `${x.name} ${x.gzip} B`).join(', ')}: loaded with import() only after an action (the sign form when a campaign opens, the share panel after a signature).`
            : 'none',
        },
        {
          name: 'widget.js and everything it imports up front, brotli',
          value: all.brotli,
          unit: 'B',
          better: 'lower',
          floor: { name: 'trivial Lit element, brotli', value: f.brotli },
          note: 'What a browser downloads from Cloudflare, which serves brotli to browsers that accept it.',
        },
        {
          name: 'widget.js and everything it imports up front, raw (minified)',
          value: all.raw,
          unit: 'B',
          better: 'lower',
          floor: { name: 'trivial Lit element, raw', value: f.raw },
          note: 'What the browser parses.',
        },
      ],
      details: [
        `Up front: ${[...widget.keys()].join(', ')}; on demand: ${[...lazy.keys()].join(', ') || 'none'}; both languages in the bundle: ${bothLanguages ? 'yes' : 'NO'}; zod in the bundle: ${/\$Zod|ZodError|_zod\b/.test(source) ? 'YES' : 'no'}.`,
        'gzip level 9 and brotli quality 11 (node:zlib); the floor is bench/floor/floor-element.ts built with the root vite.config.ts build options.',
      ],
    };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
