/**
 * Creates a synthetic effort in a D1 database: N live campaigns spread like the US population (see
 * scripts/synthetic.ts), for benchmarks and for trying the finder at scale.
 *
 *   npx tsx scripts/gen-synthetic.ts --campaigns 30000 [--awaiting 10000] [--slug synthetic] [--seed 1]
 *                                    [--persist-to DIR] [--out file.sql]
 * Without --out it loads the local D1 (the one `npm start` uses, or --persist-to DIR). Idempotent:
 * a second run with the same slug adds nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ROOT, wranglerEnv } from './wrangler-env.ts';
import { buildGazetteer } from './gazetteer.ts';
import { syntheticEffortStatements, type WeightedPlace } from './synthetic.ts';


/**
 * The gazetteer's cities that have a population (GeoNames), as weights for the generator; a place
 * listed under two names (New York City / New York) counts once. GeoNames also lists boroughs and
 * neighbourhoods with their own population, so the largest cities weigh more than they should: the
 * densest synthetic areas are a pessimistic case.
 */
export function populatedPlaces(): WeightedPlace[] {
  const seen = new Set<string>();
  return buildGazetteer()
    .cities.filter((c) => c.population)
    .filter((c) => {
      const at = `${c.lat},${c.lon},${c.population}`;
      return !seen.has(at) && seen.add(at);
    })
    .map((c) => ({ name: c.name, state: c.state, lat: c.lat, lon: c.lon, population: c.population! }));
}

export interface SyntheticOptions {
  slug: string;
  campaigns: number;
  awaiting?: number;
  seed?: number;
}

/** Writes the SQL of a synthetic effort to `file`. */
export function writeSyntheticSql(file: string, opts: SyntheticOptions) {
  writeFileSync(file, syntheticEffortStatements(populatedPlaces(), opts).join(';\n') + ';\n');
}

/** Loads a synthetic effort into the local D1 (under persistTo if given). Returns the milliseconds it took. */
export function loadSyntheticEffort(opts: SyntheticOptions & { persistTo?: string }): number {
  const dir = `${ROOT}.tmp`;
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/synthetic-${opts.slug}-${process.pid}.sql`;
  writeSyntheticSql(file, opts);
  const started = Date.now();
  const where = ['--local', ...(opts.persistTo ? ['--persist-to', opts.persistTo] : [])];
  const r = spawnSync(`${ROOT}node_modules/.bin/wrangler`, ['d1', 'execute', 'DB', ...where, '--file', file], {
    cwd: ROOT,
    encoding: 'utf8',
    env: wranglerEnv(),
  });
  if (r.status !== 0) throw new Error(`loading ${file} failed:\n${r.stdout}${r.stderr}`);
  return Date.now() - started;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const opts: SyntheticOptions = {
    slug: arg('slug') ?? 'synthetic',
    campaigns: Number(arg('campaigns') ?? 30000),
    awaiting: Number(arg('awaiting') ?? 0),
    seed: Number(arg('seed') ?? 1),
  };
  const out = arg('out');
  if (out) {
    writeSyntheticSql(out, opts);
    console.log(`${opts.campaigns} campaigns → ${out}`);
  } else {
    const persistTo = arg('persist-to');
    const ms = loadSyntheticEffort({ ...opts, ...(persistTo ? { persistTo } : {}) });
    console.log(`[sanctuary-petition] effort "${opts.slug}": ${opts.campaigns} campaigns loaded in ${ms} ms`);
  }
}
