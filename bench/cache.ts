/**
 * Cached reads: requests/s of the public reads served through the Worker's read cache (Cache API,
 * worker/src/cache.ts) against the same reads with READ_CACHE=off (every read goes to D1), in the
 * same run, one Worker after the other; and what each read costs D1, COUNTED: both Workers run with
 * BENCH_COUNT_D1=on (worker/src/d1-count.ts wraps the D1 binding and counts every statement run and
 * batch; GET /v1/__bench/d1-calls tells the count), read before and after each load.
 */
import { load, log, round, startBenchWorker, type BenchWorker, type Figure, type Load, type SectionResult } from './lib.ts';
import { BARE_CONFIG, BENCH_VARS, prepareBare } from './throughput.ts';

const DURATION = 4;
/** Sent as a partner page's widget sends them (cross-origin: the embedding rule applies). */
const HEADERS = { origin: 'https://partner.example', 'accept-language': 'en-US' };
const READS = [
  { name: 'effort totals', path: '/v1/efforts/expand-sanctuary' },
  { name: 'campaign page', path: '/v1/campaigns/skokie' },
  { name: 'lookup by ZIP', path: '/v1/efforts/expand-sanctuary/lookup?q=60076' },
];

type Measured = Load & { xCache: string | null; d1PerRead: number; d1Calls: number; reads: number };

const d1Calls = async (url: string) => ((await (await fetch(`${url}/v1/__bench/d1-calls`)).json()) as { data: { calls: number } }).data.calls;

async function measureAll(cache: 'on' | 'off'): Promise<Map<string, Measured>> {
  let worker: BenchWorker | undefined;
  const out = new Map<string, Measured>();
  try {
    worker = await startBenchWorker({ name: `cache-${cache}`, vars: { ...BENCH_VARS, READ_CACHE: cache, BENCH_COUNT_D1: 'on' }, readyPath: READS[0]!.path });
    for (const r of READS) {
      const url = worker.url + r.path;
      await (await fetch(url, { headers: HEADERS })).arrayBuffer(); // fills the cache
      const xCache = (await fetch(url, { headers: HEADERS })).headers.get('x-cache');
      log(`cache ${cache}: ${DURATION} s of GET ${r.path} (X-Cache: ${xCache ?? 'none'})`);
      const before = await d1Calls(worker.url);
      const l = await load({ url, duration: DURATION, headers: HEADERS });
      // Background work (a store, a revalidation) of the last requests is counted too.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const calls = (await d1Calls(worker.url)) - before;
      const reads = l.ok + l.other;
      out.set(r.name, { ...l, xCache, d1Calls: calls, reads, d1PerRead: reads ? calls / reads : NaN });
    }
  } finally {
    await worker?.stop();
  }
  return out;
}

/** The least a Worker can answer: the bare Worker's GET /ready (a constant, no D1, no cache). */
async function httpFloor(): Promise<Load> {
  const bare = await startBenchWorker({ name: 'cache-bare', config: BARE_CONFIG, readyPath: '/ready', prepare: prepareBare });
  try {
    log(`bare Worker: ${DURATION} s of GET /ready`);
    return await load({ url: `${bare.url}/ready`, duration: DURATION, headers: HEADERS });
  } finally {
    await bare.stop();
  }
}

export async function run(): Promise<SectionResult> {
  const cached = await measureAll('on');
  const uncached = await measureAll('off');
  const floor = await httpFloor();
  const figures: Figure[] = [];
  for (const r of READS) {
    const c = cached.get(r.name)!;
    const u = uncached.get(r.name)!;
    figures.push({
      name: `D1 queries per cached read: ${r.name}`,
      value: round(c.d1PerRead, 4),
      unit: '',
      better: 'lower',
      floor: { name: 'same read uncached', value: round(u.d1PerRead, 2) },
      // What is left is per second, not per read: the read facts every 2 s, each key reloaded every 10 s.
      goal: { text: '0 per read (a few a second in all, whatever the read rate)', met: c.d1Calls <= 2 * DURATION },
      note: `${c.d1Calls} D1 calls in all over ${c.reads} reads answered ${c.xCache} in ${DURATION} s, counted by the wrapped binding: none on the path of a hit; they are the effort's read facts (sites, lookup generation), read once per 2 s per data centre, and the reload of an entry past its 10 s (here the effort's, read by every lookup).`,
    });
  }
  for (const r of READS) {
    const c = cached.get(r.name)!;
    const u = uncached.get(r.name)!;
    figures.push({
      name: `${r.name}, requests/s`,
      value: round(c.requestsPerSecond),
      unit: '/s',
      better: 'higher',
      floor: { name: 'same read, READ_CACHE=off', value: round(u.requestsPerSecond) },
      goal: { text: '≥ 5× uncached', met: c.requestsPerSecond >= 5 * u.requestsPerSecond },
      note: `p50 ${c.p50} ms cached vs ${u.p50} ms uncached; answered ${c.xCache} from the cache; ${c.other + u.other} non-2xx.`,
    });
  }
  for (const r of READS) {
    const c = cached.get(r.name)!;
    figures.push({
      name: `${r.name} cached, requests/s, against a Worker that does nothing`,
      value: round(c.requestsPerSecond),
      unit: '/s',
      better: 'higher',
      floor: { name: 'bare Worker answering a constant', value: round(floor.requestsPerSecond) },
      note: 'What is left of a cached read locally is the cost of an HTTP request through wrangler dev and Hono: the ceiling on the cached/uncached ratio here is this floor ÷ the uncached rate.',
    });
  }
  return {
    title: 'Cached reads (Cache API) against uncached',
    figures,
    details: [
      `GET ${READS.map((r) => r.path).join(', ')} with Origin and Accept-Language as the widget sends them; 10 connections, ${DURATION} s each; fresh 10 s, then stale-while-revalidate 50 s; a signature purges the campaign and the effort.`,
      'Locally the Cache API is miniflare\'s and D1 is SQLite in the same process, a fraction of a millisecond away: most of either read is the fixed cost of one HTTP request through wrangler dev on 2 shared cores (autocannon included). On Cloudflare, D1 is a network hop from the Worker (and one database serves every data centre): the gap is wider there.',
    ],
  };
}
