/**
 * Lookup at scale: 30,000 local campaigns (and 10,000 officials awaiting one) spread like the US
 * population, in a local D1 behind the real Worker (`wrangler dev`), then lookups through HTTP:
 *   - "zip":    ?q=ZIP for ZIP codes drawn uniformly from the gazetteer (every corner of the US:
 *               Alaska, Hawaii, Puerto Rico, rural ZIPs as often as city ones);
 *   - "people": ?lat=&lon= at points drawn like the population (where supporters are).
 * For each: time per request (client side, loopback HTTP, includes the Worker and D1) and D1 rows
 * read per lookup (from the Server-Timing header the lookup sends), p50/p99. Every answer's nearest
 * campaign is checked against brute force over the 30,000 points.
 *
 *   npx tsx bench/lookup.ts [--campaigns 30000] [--lookups 400]
 * Writes bench/results/lookup.json. bench/run.ts calls run().
 */
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { distanceKm } from '../worker/src/geo.ts';
import { buildGazetteer } from '../scripts/gazetteer.ts';
import { loadSyntheticEffort, populatedPlaces } from '../scripts/gen-synthetic.ts';
import { ROOT, build, freshStateDir, prepareDatabase, startWorker } from '../scripts/local-worker.ts';
import { prng, syntheticPoints } from '../scripts/synthetic.ts';

export interface Distribution {
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

export interface LookupFigures {
  campaigns: number;
  awaitingTargets: number;
  lookups: number;
  loadMs: { gazetteerAndMigrations: number; campaigns: number };
  /** Per scenario: request time (ms), D1 rows read and D1 queries per lookup. */
  scenarios: Record<
    'zip' | 'people',
    {
      ms: Distribution;
      /** D1 rows read and queries per lookup (campaigns + awaiting officials). */
      rowsRead: Distribution;
      queries: Distribution;
      campaignsRowsRead: Distribution;
      awaitingRowsRead: Distribution;
      /** The five lookups that read the most rows. */
      worst: Array<{ place: string; rowsRead: number; queries: number }>;
      /** Lookups whose nearest campaign differs from brute force (must be 0). */
      wrongNearest: number;
    }
  >;
  note: string;
  measuredAt: string;
}

const SLUG = 'bench-synthetic';
const SEED = 42;

function distribution(values: number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    p50: round(at(0.5)),
    p99: round(at(0.99)),
    mean: round(sorted.reduce((s, x) => s + x, 0) / sorted.length),
    max: round(sorted[sorted.length - 1]!),
  };
}

export async function run(opts: { campaigns?: number; lookups?: number; port?: number; log?: (s: string) => void } = {}): Promise<LookupFigures> {
  const campaigns = opts.campaigns ?? 30000;
  const awaiting = Math.round(campaigns / 3);
  const lookups = opts.lookups ?? 400;
  const log = opts.log ?? ((s: string) => console.log(s));
  if (!existsSync(`${ROOT}dist/widget.js`)) build();

  const dir = freshStateDir('bench-lookup');
  let t = Date.now();
  prepareDatabase(dir);
  const gazetteerMs = Date.now() - t;
  log(`[bench:lookup] migrations, demo seed and gazetteer: ${gazetteerMs} ms`);
  t = Date.now();
  loadSyntheticEffort({ slug: SLUG, campaigns, awaiting, seed: SEED, persistTo: dir });
  const campaignsMs = Date.now() - t;
  log(`[bench:lookup] ${campaigns} campaigns + ${awaiting} targets: ${campaignsMs} ms`);

  // The same points the generator placed (it is seeded), for the brute-force check.
  const places = populatedPlaces();
  const points = syntheticPoints(places, campaigns, SEED);
  const nearestByBruteForce = (lat: number, lon: number) => {
    let best = Infinity;
    for (const p of points) best = Math.min(best, distanceKm(lat, lon, p.lat, p.lon));
    return best;
  };

  const zips = buildGazetteer().zips;
  const random = prng(SEED + 7);
  const zipQueries = Array.from({ length: lookups }, () => zips[Math.floor(random() * zips.length)]!);
  const peopleQueries = syntheticPoints(places, lookups, SEED + 9);

  // The read cache off: every lookup here is the engine's own work (cached lookups are measured in bench/cache.ts).
  const worker = await startWorker({ port: opts.port ?? 8799, persistTo: dir, vars: { READ_CACHE: 'off', RATE_LIMITS: 'off' } });
  try {
    const lookup = async (qs: string) => {
      const started = performance.now();
      const res = await fetch(`${worker.url}/v1/efforts/${SLUG}/lookup?${qs}`);
      const body = (await res.json()) as { data: { place: { label: string; lat: number; lon: number }; nearby: Array<{ distanceKm: number }> } };
      const ms = performance.now() - started;
      if (!res.ok) throw new Error(`lookup ${qs} answered ${res.status}: ${JSON.stringify(body)}`);
      const header = res.headers.get('server-timing') ?? '';
      const part = (name: string) => {
        const m = new RegExp(`${name};[^,]*rows_read=(\\d+) queries=(\\d+)`).exec(header);
        return { rowsRead: Number(m?.[1] ?? NaN), queries: Number(m?.[2] ?? NaN) };
      };
      const total = part('d1');
      return { ms, ...total, campaigns: part('campaigns'), awaiting: part('awaiting'), data: body.data };
    };
    for (let i = 0; i < 20; i++) await lookup(`q=${zipQueries[i]!.zip}`); // warm-up

    const scenario = async (qss: string[]) => {
      const ms: number[] = [];
      const rows: number[] = [];
      const queries: number[] = [];
      const campaignRows: number[] = [];
      const awaitingRows: number[] = [];
      const worst: Array<{ place: string; rowsRead: number; queries: number }> = [];
      let wrongNearest = 0;
      for (const qs of qss) {
        const r = await lookup(qs);
        ms.push(r.ms);
        rows.push(r.rowsRead);
        queries.push(r.queries);
        campaignRows.push(r.campaigns.rowsRead);
        awaitingRows.push(r.awaiting.rowsRead);
        worst.push({ place: r.data.place.label, rowsRead: r.rowsRead, queries: r.queries });
        worst.sort((a, b) => b.rowsRead - a.rowsRead).splice(5);
        const want = nearestByBruteForce(r.data.place.lat, r.data.place.lon);
        // distanceKm is rounded to 0.1 km in the response.
        if (Math.abs((r.data.nearby[0]?.distanceKm ?? Infinity) - want) > 0.051) wrongNearest++;
      }
      return {
        ms: distribution(ms),
        rowsRead: distribution(rows),
        queries: distribution(queries),
        campaignsRowsRead: distribution(campaignRows),
        awaitingRowsRead: distribution(awaitingRows),
        worst,
        wrongNearest,
      };
    };
    const zip = await scenario(zipQueries.map((z) => `q=${z.zip}`));
    const people = await scenario(peopleQueries.map((p) => `lat=${p.lat}&lon=${p.lon}`));
    const figures: LookupFigures = {
      campaigns,
      awaitingTargets: awaiting,
      lookups,
      loadMs: { gazetteerAndMigrations: gazetteerMs, campaigns: campaignsMs },
      scenarios: { zip, people },
      note:
        'Loopback HTTP through wrangler dev (workerd + local D1/SQLite) on this machine; rows read = D1 meta.rows_read ' +
        'summed over the lookup\'s queries (campaigns and awaiting officials; json_each range rows included). ' +
        'A full scan would read ' + (campaigns + awaiting) + ' rows.',
      measuredAt: new Date().toISOString(),
    };
    mkdirSync(`${ROOT}bench/results`, { recursive: true });
    writeFileSync(`${ROOT}bench/results/lookup.json`, JSON.stringify(figures, null, 2) + '\n');
    return figures;
  } finally {
    await worker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? Number(process.argv[i + 1]) : undefined;
  };
  const figures = await run({ campaigns: arg('campaigns'), lookups: arg('lookups') });
  for (const [name, s] of Object.entries(figures.scenarios)) {
    console.log(
      `lookup (${name}) at ${figures.campaigns} campaigns: p50 ${s.ms.p50} ms, p99 ${s.ms.p99} ms; ` +
        `rows read p50 ${s.rowsRead.p50}, p99 ${s.rowsRead.p99} (campaigns p50 ${s.campaignsRowsRead.p50}, p99 ${s.campaignsRowsRead.p99}); ` +
        `queries p50 ${s.queries.p50}, p99 ${s.queries.p99}; ` +
        `wrong nearest: ${s.wrongNearest}`,
    );
  }
  for (const [name, s] of Object.entries(figures.scenarios)) console.log(`  most rows read (${name}): ${s.worst.map((w) => `${w.place} ${w.rowsRead}/${w.queries}q`).join("; ")}`);
  console.log("→ bench/results/lookup.json");
}
