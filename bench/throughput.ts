/**
 * Signing throughput: autocannon POSTs signatures (each with a unique email and Idempotency-Key, as the
 * widget sends them) to the real Worker + local D1, and the same load to a bare Worker that does one
 * INSERT per request (bench/bare-worker), in the same run, one after the other (2 cores: never both at once).
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { ROOT, wranglerEnv } from '../scripts/local-worker.ts';
import { load, log, round, startBenchWorker, type BenchWorker, type Load, type SectionResult } from './lib.ts';

const TITLE = 'Signing throughput (Worker + local D1)';
const DURATION = 10;
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

export async function run(): Promise<SectionResult> {
  let ours: BenchWorker | undefined;
  let bare: BenchWorker | undefined;
  try {
    ours = await startBenchWorker({ name: 'sign', vars: BENCH_VARS, readyPath: '/v1/campaigns/skokie' });
    const signUrl = `${ours.url}/v1/campaigns/skokie/signatures`;
    const before = await count(ours.url);
    await measure(signUrl, {}, WARMUP);
    const afterWarmup = await count(ours.url);
    log(`real Worker: ${DURATION} s of POST /v1/campaigns/skokie/signatures, ${CONNECTIONS} connections`);
    const real = await measure(signUrl, {}, DURATION);
    const stored = (await count(ours.url)) - afterWarmup;
    await ours.stop();
    ours = undefined;

    bare = await startBenchWorker({ name: 'bare', config: BARE_CONFIG, readyPath: '/ready', prepare: prepareBare });
    await measure(`${bare.url}/sign`, {}, WARMUP);
    log(`bare Worker: ${DURATION} s of POST /sign (one INSERT)`);
    const floor = await measure(`${bare.url}/sign`, {}, DURATION);
    await bare.stop();
    bare = undefined;

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
          note: 'Validation, HMAC of the email, idempotency and count update in D1 against the least a Worker can do per signature.',
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
        `${real.ok} signatures accepted in ${DURATION} s; the campaign count moved by ${stored} (every accepted signature counted once); before the run it was ${before}.`,
        `Each request: a new email and a new Idempotency-Key; ${CONNECTIONS} connections; ${WARMUP} s warm-up not counted; the two Workers ran one after the other.`,
      ],
    };
  } finally {
    await ours?.stop();
    await bare?.stop();
  }
}

async function count(url: string): Promise<number> {
  const res = await fetch(`${url}/v1/campaigns/skokie`);
  const body = (await res.json()) as { data: { signatureCount: number } };
  return body.data.signatureCount;
}
