/**
 * Export of 1,000,000 signatures: rows/s and peak memory of the streamed CSV export (the organizer
 * API, GET /v1/admin/efforts/:slug/signatures.csv behind ADMIN_TOKEN), at 100,000 and at 1,000,000
 * rows: peak memory must stay flat as rows grow. Floor for rows/s: the bare Worker paging the same
 * number of rows out of its own table (bench/bare-worker), with no formatting. When no export route
 * answers (the organizer API is not on this branch), the section says so and measures nothing.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { ensureDevVars } from '../scripts/local-worker.ts';
import { d1File, log, notMeasured, round, startBenchWorker, type BenchWorker, type SectionResult } from './lib.ts';
import { BARE_CONFIG, BENCH_VARS, prepareBare } from './throughput.ts';

const TITLE = 'Export of 1,000,000 signatures (streamed CSV)';
const SMALL = 100_000;
const LARGE = 1_000_000;
/** Where the export may live; the first that answers 200 text/csv is measured. */
const CANDIDATES = ['/v1/admin/efforts/expand-sanctuary/signatures.csv', '/v1/admin/efforts/expand-sanctuary/export'];

const token = () => /^ADMIN_TOKEN=(.+)$/m.exec(readFileSync(ensureDevVars(), 'utf8'))?.[1]?.trim() ?? '';

/** SQL that adds signatures numbered from..to (1-based) to Skokie, in one statement. */
function rowsSql(dir: string, from: number, to: number, bare: boolean): string {
  const file = `${dir}/rows-${from}-${to}.sql`;
  const series = `WITH RECURSIVE n(i) AS (SELECT ${from} UNION ALL SELECT i + 1 FROM n WHERE i < ${to})`;
  writeFileSync(
    file,
    bare
      ? `INSERT INTO signatures (campaign, first_name, last_name, email, zip) ${series}
         SELECT 'skokie', 'Bench', 'Row' || i, 'row' || i || '@example.org', '60076' FROM n;`
      : `INSERT INTO signatures (campaign_id, first_name, last_name, email, email_hash, zip) ${series}
         SELECT (SELECT id FROM campaigns WHERE slug = 'skokie'), 'Bench', 'Row' || i, 'row' || i || '@example.org',
                'bench-' || i, '60076' FROM n;`,
  );
  return file;
}

/** Streams one export to its end; counts lines and samples the Worker's memory every 20 ms. */
async function drain(worker: BenchWorker, path: string, headers: Record<string, string>) {
  const baseline = worker.rss();
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, worker.rss())), 20);
  const start = performance.now();
  let lines = 0;
  try {
    const res = await fetch(worker.url + path, { headers });
    if (!res.ok || !res.body) throw new Error(`${path} answered ${res.status}`);
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) lines++;
    }
  } finally {
    clearInterval(sampler);
  }
  const seconds = (performance.now() - start) / 1000;
  return { lines, seconds, baseline, peak };
}

async function probe(): Promise<string | null> {
  const worker = await startBenchWorker({ name: 'export-probe', vars: BENCH_VARS, readyPath: '/v1/efforts/expand-sanctuary' });
  try {
    for (const path of CANDIDATES) {
      const res = await fetch(worker.url + path, { headers: { authorization: `Bearer ${token()}` } });
      await res.arrayBuffer();
      if (res.ok && /text\/csv/.test(res.headers.get('content-type') ?? '')) return path;
    }
    return null;
  } finally {
    await worker.stop();
  }
}

export async function run(): Promise<SectionResult> {
  const path = await probe();
  if (!path) return notMeasured(TITLE, `no CSV export answers yet (tried ${CANDIDATES.join(', ')}): the organizer API is not on this branch`);
  const auth = { authorization: `Bearer ${token()}` };
  const MB = 1024 * 1024;

  // The real Worker: 100k rows, export; then up to 1M rows, export again. Rows are added while it is stopped.
  let ours = await startBenchWorker({ name: 'export', vars: BENCH_VARS, readyPath: '/v1/efforts/expand-sanctuary' });
  const stateDir = ours.stateDir;
  await ours.stop();
  log(`adding ${SMALL.toLocaleString('en-US')} signatures`);
  d1File(stateDir, rowsSql(stateDir, 1, SMALL, false));
  ours = await startBenchWorker({ name: 'export', vars: BENCH_VARS, readyPath: '/v1/efforts/expand-sanctuary', stateDir, prepare: () => {} });
  const small = await drain(ours, path, auth);
  await ours.stop();
  log(`adding up to ${LARGE.toLocaleString('en-US')} signatures`);
  d1File(stateDir, rowsSql(stateDir, SMALL + 1, LARGE, false));
  ours = await startBenchWorker({ name: 'export', vars: BENCH_VARS, readyPath: '/v1/efforts/expand-sanctuary', stateDir, prepare: () => {} });
  log(`exporting ${LARGE.toLocaleString('en-US')} rows`);
  const large = await drain(ours, path, auth).finally(() => ours.stop());

  // The floor: the bare Worker pages 1M rows of its own table out, unformatted.
  let bare = await startBenchWorker({ name: 'export-bare', config: BARE_CONFIG, readyPath: '/ready', prepare: prepareBare });
  const bareDir = bare.stateDir;
  await bare.stop();
  d1File(bareDir, rowsSql(bareDir, 1, LARGE, true), BARE_CONFIG);
  bare = await startBenchWorker({ name: 'export-bare', config: BARE_CONFIG, readyPath: '/ready', stateDir: bareDir, prepare: () => {} });
  log('bare Worker: paging 1,000,000 rows');
  const floor = await drain(bare, '/export', {}).finally(() => bare.stop());

  const rowsPerSecond = (r: { lines: number; seconds: number }) => round((r.lines - 1) / r.seconds, 0);
  const growth = (r: { peak: number; baseline: number }) => Math.max(0, r.peak - r.baseline);
  return {
    title: TITLE,
    figures: [
      {
        name: 'export rows/s at 1,000,000 rows',
        value: rowsPerSecond(large),
        unit: 'rows/s',
        better: 'higher',
        floor: { name: 'bare Worker paging the same rows', value: round(floor.lines / floor.seconds, 0) },
        note: `${(large.lines - 1).toLocaleString('en-US')} rows in ${round(large.seconds)} s, with formula-safe CSV quoting, against unformatted paging.`,
      },
      {
        name: 'Worker memory growth during the export, 1,000,000 rows',
        value: round(growth(large) / MB),
        unit: 'MB',
        better: 'lower',
        floor: { name: 'the same at 100,000 rows', value: round(growth(small) / MB) },
        goal: { text: 'flat: not growing with rows (≤ 1.5× the 100,000-row figure + 8 MB)', met: growth(large) <= 1.5 * growth(small) + 8 * MB },
        note: `Peak resident memory of workerd ${round(large.peak / MB)} MB (before: ${round(large.baseline / MB)} MB); rows are streamed page by page, never held.`,
      },
      {
        name: 'Worker memory growth, 1,000,000 rows, against the bare Worker',
        value: round(growth(large) / MB),
        unit: 'MB',
        better: 'lower',
        floor: { name: 'bare Worker paging the same 1,000,000 rows, measured the same way', value: round(growth(floor) / MB) },
        goal: { text: 'no more than the bare Worker + 8 MB (what grows is then the local D1 engine, not the export)', met: growth(large) <= growth(floor) + 8 * MB },
        note: `Locally D1 runs inside the same workerd process, so its SQLite pages count in that process's memory: the bare Worker, which holds nothing either, shows how much of the growth is the engine's.`,
      },
    ],
    details: [`Export route measured: GET ${path}; memory sampled every 20 ms from /proc (workerd processes of that wrangler dev).`],
  };
}
