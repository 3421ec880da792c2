/**
 * Cached reads: requests/s of the public reads served through the Worker's read cache (Cache API,
 * worker/src/cache.ts) against the same reads with READ_CACHE=off (every read goes to D1), in the
 * same run, one Worker after the other.
 */
import { load, log, round, startBenchWorker, type BenchWorker, type Load, type SectionResult } from './lib.ts';
import { BENCH_VARS } from './throughput.ts';

const DURATION = 5;
const READS = [
  { name: 'effort totals', path: '/v1/efforts/expand-sanctuary' },
  { name: 'campaign page', path: '/v1/campaigns/skokie' },
  { name: 'lookup by ZIP', path: '/v1/efforts/expand-sanctuary/lookup?q=60076' },
];

async function measureAll(cache: 'on' | 'off'): Promise<Map<string, Load & { xCache: string | null }>> {
  let worker: BenchWorker | undefined;
  const out = new Map<string, Load & { xCache: string | null }>();
  try {
    worker = await startBenchWorker({ name: `cache-${cache}`, vars: { ...BENCH_VARS, READ_CACHE: cache }, readyPath: READS[0]!.path });
    for (const r of READS) {
      const url = worker.url + r.path;
      await (await fetch(url)).arrayBuffer(); // fills the cache
      const xCache = (await fetch(url)).headers.get('x-cache');
      log(`cache ${cache}: ${DURATION} s of GET ${r.path} (X-Cache: ${xCache ?? 'none'})`);
      out.set(r.name, { ...(await load({ url, duration: DURATION })), xCache });
    }
  } finally {
    await worker?.stop();
  }
  return out;
}

export async function run(): Promise<SectionResult> {
  const cached = await measureAll('on');
  const uncached = await measureAll('off');
  return {
    title: 'Cached reads (Cache API) against uncached',
    figures: READS.map((r) => {
      const c = cached.get(r.name)!;
      const u = uncached.get(r.name)!;
      return {
        name: `${r.name}, requests/s`,
        value: round(c.requestsPerSecond),
        unit: '/s',
        better: 'higher' as const,
        floor: { name: 'same read, READ_CACHE=off', value: round(u.requestsPerSecond) },
        note: `p50 ${c.p50} ms cached vs ${u.p50} ms uncached; answered ${c.xCache} from the cache; ${c.other + u.other} non-2xx.`,
      };
    }),
    details: [
      `GET ${READS.map((r) => r.path).join(', ')}; 10 connections, ${DURATION} s each; fresh 10 s, then stale-while-revalidate 50 s; a signature purges the campaign and the effort.`,
      'Locally the Cache API is miniflare\'s (on disk); on Cloudflare it is the data centre\'s cache, and D1 is a network hop away: the gap is wider there.',
    ],
  };
}
