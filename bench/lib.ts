/**
 * What the benchmark sections share: the shape of a result, local Workers under `wrangler dev`
 * (each with its own fresh state, on 127.0.0.1 only), autocannon, and small statistics.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import autocannon from 'autocannon';
import { freePort } from '../e2e/harness.ts';
import { ROOT, freshStateDir, prepareDatabase, startWorker, wranglerEnv } from '../scripts/local-worker.ts';

/** One measured figure, with the floor it is compared with (measured in the same run). */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** Smaller is better (bytes, ms) or larger is better (requests/s). */
  better: 'lower' | 'higher';
  floor?: { name: string; value: number };
  /** The goal as text ("≤ 20,000 B gzip"), and whether it was met. */
  goal?: { text: string; met: boolean };
  /** One line: what the figure means. */
  note: string;
}

export interface SectionResult {
  title: string;
  /** Present when the section could not measure (feature missing, tool missing): says why. */
  notMeasured?: string;
  figures: Figure[];
  /** Extra lines for the report (method, details). */
  details?: string[];
}

export const ratio = (f: Figure) => (f.floor && f.floor.value ? f.value / f.floor.value : undefined);

export const notMeasured = (title: string, why: string): SectionResult => ({ title, notMeasured: why, figures: [] });

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

export const log = (msg: string) => console.log(`  · ${msg}`);

// ------------------------------------------------------------------------------ local Workers

export interface BenchWorker {
  url: string;
  stateDir: string;
  pid: number;
  /** Resident memory of the workerd process(es) of this Worker, in bytes. */
  rss(): number;
  stop(): Promise<void>;
}

/**
 * `wrangler dev` for a config (the real Worker by default), with a fresh persisted D1 database,
 * extra `--var`s (e.g. rate limits off), request logs off. Resolves once `readyPath` answers 2xx.
 */
export async function startBenchWorker(opts: {
  name: string;
  config?: string;
  vars?: Record<string, string>;
  readyPath: string;
  /** Prepares the fresh state folder (migrations, seed) before the Worker starts. */
  prepare?: (stateDir: string) => void;
  /** Where the state folder goes (default: .tmp/ in the project). */
  stateDir?: string;
}): Promise<BenchWorker> {
  const stateDir = opts.stateDir ?? freshStateDir(`bench-${opts.name}`);
  (opts.prepare ?? prepareDatabase)(stateDir);
  const worker = await startWorker({
    port: await freePort(),
    persistTo: stateDir,
    config: opts.config,
    vars: opts.vars,
    readyPath: opts.readyPath,
    args: ['--log-level', 'warn'],
  });
  const pid = worker.process.pid!;
  return { url: worker.url, stateDir, pid, rss: () => processGroupRss(pid, /workerd/), stop: worker.stop };
}

/** Sum of VmRSS of the processes in a process group whose command matches `name`. */
function processGroupRss(pgid: number, name: RegExp): number {
  let total = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!name.test(cmd)) continue;
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) total += Number(m[1]) * 1024;
    } catch {}
  }
  return total;
}

/** Runs SQL (a file) against a Worker's local D1 database under `stateDir`. */
export function d1File(stateDir: string, file: string, config?: string) {
  const args = ['d1', 'execute', 'DB', '--local', '--persist-to', stateDir, '--file', file, '--yes'];
  if (config) args.push('--config', config);
  const r = spawnSync(`${ROOT}node_modules/.bin/wrangler`, args, { cwd: ROOT, env: wranglerEnv(), encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`d1 execute ${file} failed: ${r.stderr || r.stdout}`);
}

// ------------------------------------------------------------------------------ load

export interface Load {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  ok: number;
  other: number;
  errors: number;
}

/** autocannon against one URL; `setupRequest` may change each request (unique emails…). */
export async function load(opts: autocannon.Options & { url: string }): Promise<Load> {
  const result = await autocannon({ connections: 10, duration: 5, ...opts });
  const ok = result['2xx'];
  return {
    requestsPerSecond: ok / (result.duration || Number(opts.duration ?? 5)),
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok,
    other: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
