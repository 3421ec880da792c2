/**
 * Signing throughput: autocannon POSTs signatures (each with a unique email and Idempotency-Key, as the
 * widget sends them) to the real Worker + local D1, and the same load to a bare Worker that does one
 * INSERT per request (bench/bare-worker), in the same run: both Workers up, loaded in alternating rounds
 * (2 cores: never both at once).
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { ROOT, wranglerEnv } from '../scripts/local-worker.ts';
import { load, log, round, startBenchWorker, type BenchWorker, type Load, type SectionResult } from './lib.ts';

const TITLE = 'Signing throughput (Worker + local D1)';
const DURATION = 6;
const ROUNDS = 3;
const WARMUP = 2;
const CONNECTIONS = 10;
export const BARE_CONFIG = 'bench/bare-worker/wrangler.toml';

/** Vars that turn off what would refuse a benchmark's load from one IP (they exist once the abuse limits do). */
export const BENCH_VARS = { RATE_LIMITS: 'off', MIN_SUBMIT_MS: '0' };

let n = 0;
const signature = () => ({
  firstName: 'Bench',
  lastName: 'Signer',
  email: `bench.${process.pid}.${n++}@example.org`,
  zip: '60076',
});

async function measure(url: string, headers: Record<string, string>, duration: number): Promise<Load> {
  return load({
    url,
    method: 'POST',
    duration,
    connections: CONNECTIONS,
    headers: { 'content-type': 'application/json', ...headers },
    requests: [
      {
        setupRequest: (req) => ({
          ...req,
          headers: { ...req.headers, 'idempotency-key': randomUUID() },
          body: JSON.stringify(signature()),
        }),
      },
    ],
  });
}

export const prepareBare = (stateDir: string) => {
  const r = spawnSync(
    `${ROOT}node_modules/.bin/wrangler`,
    ['d1', 'migrations', 'apply', 'DB', '--local', '--config', BARE_CONFIG, '--persist-to', stateDir],
    { cwd: ROOT, env: wranglerEnv(), encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`bare worker migrations failed: ${r.stderr || r.stdout}`);
};

/** State on tmpfs when there is one: the host's disk (fsync) would otherwise dominate both Workers. */
const stateDir = (name: string) => (existsSync('/dev/shm') ? mkdtempSync(`/dev/shm/sanctuary-bench-${name}-`) : undefined);

export async function run(): Promise<SectionResult> {
  let ours: BenchWorker | undefined;
  let bare: BenchWorker | undefined;
  const dirs: string[] = [];
  try {
    const oursDir = stateDir('sign');
    const bareDir = stateDir('bare');
    dirs.push(...[oursDir, bareDir].filter((d): d is string => !!d));
    ours = await startBenchWorker({ name: 'sign', vars: BENCH_VARS, readyPath: '/v1/campaigns/skokie', stateDir: oursDir });
    bare = await startBenchWorker({ name: 'bare', config: BARE_CONFIG, readyPath: '/ready', prepare: prepareBare, stateDir: bareDir });
    const signUrl = `${ours.url}/v1/campaigns/skokie/signatures`;
    const bareUrl = `${bare.url}/sign`;
    await measure(signUrl, {}, WARMUP);
    await measure(bareUrl, {}, WARMUP);
    // Alternating rounds (never both at once: 2 cores), so drift on the machine hits both alike.
    const reals: Load[] = [];
    const floors: Load[] = [];
    const before = await count(ours.url);
    for (let i = 1; i <= ROUNDS; i++) {
      log(`round ${i}/${ROUNDS}: ${DURATION} s of POST /v1/campaigns/skokie/signatures, then ${DURATION} s of the bare POST /sign`);
      reals.push(await measure(signUrl, {}, DURATION));
      floors.push(await measure(bareUrl, {}, DURATION));
    }
    await new Promise((r) => setTimeout(r, 500));
    const stored = (await count(ours.url)) - before;
    const real = combine(reals);
    const floor = combine(floors);

    if (real.other || real.errors) {
      return {
        title: TITLE,
        notMeasured: `${real.other} answers were not 2xx and ${real.errors} failed out of ${real.ok + real.other + real.errors}: a limit refused the load (see BENCH_VARS)`,
        figures: [],
      };
    }
    const goal = 0.7;
    return {
      title: TITLE,
      figures: [
        {
          name: 'signatures/s',
          value: round(real.requestsPerSecond),
          unit: '/s',
          better: 'higher',
          floor: { name: 'bare Worker, one INSERT', value: round(floor.requestsPerSecond) },
          goal: { text: '≥ 70% of the bare Worker', met: real.requestsPerSecond >= goal * floor.requestsPerSecond },
          note: 'Validation, HMAC of the email, idempotency and counts against the least a Worker can do; one D1 round trip each, like the bare Worker (the batch holds every check; the campaign id is read once per isolate).',
        },
        {
          name: 'sign latency p50',
          value: real.p50,
          unit: 'ms',
          better: 'lower',
          floor: { name: 'bare Worker p50', value: floor.p50 },
          note: `With ${CONNECTIONS} requests in flight; D1 runs one query at a time, so latency is mostly queueing.`,
        },
        {
          name: 'sign latency p99',
          value: real.p99,
          unit: 'ms',
          better: 'lower',
          floor: { name: 'bare Worker p99', value: floor.p99 },
          note: 'The slow tail under the same load.',
        },
      ],
      details: [
        `Per round (signatures/s, real / bare): ${reals.map((r, i) => `${round(r.requestsPerSecond)} / ${round(floors[i]!.requestsPerSecond)}`).join('; ')}.`,
        `${real.ok} signatures answered 201; the campaign count moved by ${stored} (the difference is requests still in flight when a round ended, which count too).`,
        `Each request: a new email and a new Idempotency-Key (as the widget sends); ${CONNECTIONS} connections; ${WARMUP} s warm-up not counted; state on ${dirs.length ? 'tmpfs (/dev/shm)' : 'disk'}.`,
      ],
    };
  } finally {
    await ours?.stop();
    await bare?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

/** Rounds together: requests/s from the totals, latencies as the mean of the rounds' percentiles. */
function combine(rounds: Load[]): Load {
  const mean = (f: (l: Load) => number) => round(rounds.reduce((s, l) => s + f(l), 0) / rounds.length, 0);
  return {
    requestsPerSecond: rounds.reduce((s, l) => s + l.requestsPerSecond, 0) / rounds.length,
    p50: mean((l) => l.p50),
    p99: mean((l) => l.p99),
    ok: rounds.reduce((s, l) => s + l.ok, 0),
    other: rounds.reduce((s, l) => s + l.other, 0),
    errors: rounds.reduce((s, l) => s + l.errors, 0),
  };
}

async function count(url: string): Promise<number> {
  const res = await fetch(`${url}/v1/campaigns/skokie`);
  const body = (await res.json()) as { data: { signatureCount: number } };
  return body.data.signatureCount;
}
