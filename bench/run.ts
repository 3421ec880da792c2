/**
 * `npm run bench`: every figure of the project, each against its floor measured in the same run,
 * printed and written to BENCHMARKS.md (with the machine, the date and the command) and to
 * bench/results/latest.json. Only 127.0.0.1 is contacted. A few minutes on 2 cores.
 *
 * Each section lives in its own module and starts what it needs (its own local Workers with fresh
 * state). A section whose feature is not there yet says "not measured: why" instead of a number.
 *   node --import tsx bench/run.ts [section …]   runs only the named sections (size, first-results, …)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { ROOT, build } from '../scripts/local-worker.ts';
import { notMeasured, ratio, round, type Figure, type SectionResult } from './lib.ts';

type Section = { id: string; title: string; run: () => Promise<SectionResult> };

/** The lookup benchmark's distributions as figures: time, and D1 rows read against the goal and a full scan. */
async function lookupSection(): Promise<SectionResult> {
  const f = await (await import('./lookup.ts')).run();
  const fullScan = f.campaigns + f.awaitingTargets;
  const ROWS_GOAL = 500;
  const label = { zip: 'by ZIP code', people: 'at points spread like people' } as const;
  const figures: Figure[] = [];
  for (const name of ['zip', 'people'] as const) {
    const sc = f.scenarios[name];
    figures.push(
      { name: `lookup ${label[name]}, p50`, value: sc.ms.p50, unit: 'ms', better: 'lower', note: `p99 ${sc.ms.p99} ms; ${sc.queries.p50} D1 queries at p50, ${sc.queries.p99} at p99; read cache off.` },
      {
        name: `rows read ${label[name]}, p50`,
        value: sc.rowsRead.p50,
        unit: 'rows',
        better: 'lower',
        floor: { name: 'full scan of the effort', value: fullScan },
        note: `campaigns ${sc.campaignsRowsRead.p50} + awaiting officials ${sc.awaitingRowsRead.p50}.`,
      },
      {
        name: `rows read ${label[name]}, p99`,
        value: sc.rowsRead.p99,
        unit: 'rows',
        better: 'lower',
        floor: { name: 'full scan of the effort', value: fullScan },
        goal: { text: `≤ ${ROWS_GOAL} rows`, met: sc.rowsRead.p99 <= ROWS_GOAL },
        note: `campaigns ${sc.campaignsRowsRead.p99} + awaiting officials ${sc.awaitingRowsRead.p99}; most: ${sc.worst.slice(0, 3).map((w) => `${w.place} ${w.rowsRead} rows/${w.queries} queries`).join('; ')}.`,
      },
    );
    if (sc.wrongNearest) figures.push({ name: `wrong nearest ${label[name]}`, value: sc.wrongNearest, unit: '', better: 'lower', note: 'Checked by brute force: must be 0.' });
  }
  return {
    title: 'Lookup at 30,000 campaigns',
    figures,
    details: [
      `${f.campaigns.toLocaleString('en-US')} synthetic campaigns and ${f.awaitingTargets.toLocaleString('en-US')} officials awaiting one, spread like the US population (scripts/synthetic.ts); ${f.lookups} lookups per scenario; every nearest checked by brute force (wrong: ${f.scenarios.zip.wrongNearest + f.scenarios.people.wrongNearest}).`,
      f.note,
      'Cached lookups (the same place again) make no D1 query: see "Cached reads".',
    ],
  };
}

const SECTIONS: Section[] = [
  { id: 'size', title: 'Widget bytes', run: async () => (await import('./size.ts')).run() },
  { id: 'first-results', title: 'First results', run: async () => (await import('./first-results.ts')).run() },
  { id: 'throughput', title: 'Signing throughput', run: async () => (await import('./throughput.ts')).run() },
  { id: 'lookup', title: 'Lookup at 30,000 campaigns', run: lookupSection },
  { id: 'export', title: 'Export of 1,000,000 signatures', run: async () => (await import('./export.ts')).run() },
  { id: 'cache', title: 'Cached reads', run: async () => (await import('./cache.ts')).run() },
  { id: 'flood', title: 'Signing under a read flood', run: async () => (await import('./flood.ts')).run() },
  { id: 'phone', title: 'First result on a phone', run: async () => (await import('./phone.ts')).run() },
  { id: 'storage', title: 'What one D1 database holds', run: async () => (await import('./storage.ts')).run() },
];

function machine() {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const osRelease = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '';
  const os = /^PRETTY_NAME="?([^"\n]+)/m.exec(osRelease)?.[1] ?? process.platform;
  let kernel = '';
  try {
    kernel = execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim();
  } catch {}
  return {
    cpu: model,
    cores: cpus().length,
    memoryGB: round(totalmem() / 1024 ** 3),
    os: `${os}${kernel ? ` (Linux ${kernel})` : ''}`,
    node: process.version,
    /** 1-minute load average when the run started: above the core count, other work shared the CPU. */
    loadAverage: round(loadavg()[0]!, 2),
  };
}

const fmt = (v: number, unit: string) => `${v.toLocaleString('en-US')}${unit === '/s' ? '/s' : unit ? ` ${unit}` : ''}`;

function figureLine(f: Figure): string {
  const r = ratio(f);
  const parts = [`${f.name}: ${fmt(f.value, f.unit)}`];
  if (f.floor) parts.push(`floor ${fmt(f.floor.value, f.unit)} (${f.floor.name})`);
  if (r !== undefined) parts.push(`ratio ${round(r, 2)}×`);
  if (f.goal) parts.push(`goal ${f.goal.text}: ${f.goal.met ? 'met' : 'NOT met'}`);
  return parts.join(' · ');
}

function markdown(results: SectionResult[], m: ReturnType<typeof machine>, date: string, seconds: number): string {
  const out = [
    '# Benchmarks',
    '',
    'Every figure is measured against its floor **in the same run**, on the same machine (ratio = figure ÷ floor).',
    'Local figures: the Worker runs under `wrangler dev` with a local D1 (SQLite) database, so absolute numbers',
    'are this machine\'s, not Cloudflare\'s; the ratios are what carries over. Written by `npm run bench`',
    '(`bench/run.ts`); raw results in `bench/results/latest.json`.',
    '',
    `- **Date:** ${date}`,
    '- **Command:** `npm run bench`',
    `- **Machine:** ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB memory, ${m.os}`,
    `- **Node:** ${m.node}`,
    `- **Load average when the run started:** ${m.loadAverage} on ${m.cores} cores${m.loadAverage > m.cores ? ' (other work shared the CPU: timings are noisier than on an idle machine; ratios, measured side by side, less so)' : ''}`,
    `- **Run time:** ${round(seconds, 0)} s`,
    '',
  ];
  for (const s of results) {
    out.push(`## ${s.title}`, '');
    if (s.notMeasured) {
      out.push(`Not measured: ${s.notMeasured}.`, '');
      continue;
    }
    out.push('| Figure | Value | Floor | Ratio | Goal | What it means |', '|---|---:|---:|---:|---|---|');
    for (const f of s.figures) {
      const r = ratio(f);
      out.push(
        `| ${f.name} | ${fmt(f.value, f.unit)} | ${f.floor ? `${fmt(f.floor.value, f.unit)} (${f.floor.name})` : '—'} | ${r === undefined ? '—' : `${round(r, 2)}×`} | ${f.goal ? `${f.goal.text}: **${f.goal.met ? 'met' : 'not met'}**` : '—'} | ${f.note} |`,
      );
    }
    out.push('');
    for (const d of s.details ?? []) out.push(`- ${d}`);
    out.push('');
  }
  return out.join('\n');
}

const only = process.argv.slice(2);
const chosen = only.length ? SECTIONS.filter((s) => only.includes(s.id)) : SECTIONS;
const started = performance.now();
const m = machine();
console.log(`sanctuary-petition benchmarks — ${m.cpu}, ${m.cores} cores, Node ${m.node}`);
console.log('▶ build widget.js and the demo');
build();

const results: SectionResult[] = [];
for (const s of chosen) {
  console.log(`\n▶ ${s.title}`);
  let r: SectionResult;
  try {
    r = await s.run();
  } catch (e) {
    r = notMeasured(s.title, `the run failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
  }
  results.push(r);
  if (r.notMeasured) console.log(`  not measured: ${r.notMeasured}`);
  for (const f of r.figures) console.log(`  ${figureLine(f)}`);
}

const seconds = (performance.now() - started) / 1000;
const date = new Date().toISOString();
mkdirSync(`${ROOT}bench/results`, { recursive: true });
writeFileSync(`${ROOT}bench/results/latest.json`, `${JSON.stringify({ date, command: 'npm run bench', machine: m, seconds: round(seconds, 0), results }, null, 2)}\n`);
if (!only.length) writeFileSync(`${ROOT}BENCHMARKS.md`, markdown(results, m, date, seconds));
console.log(`\n${only.length ? 'bench/results/latest.json written (a partial run leaves BENCHMARKS.md as it was)' : 'BENCHMARKS.md and bench/results/latest.json written'} in ${round(seconds, 0)} s`);
