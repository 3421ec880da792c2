/**
 * Imports an effort's targets (the officials) from a CSV file, for organizers.
 *
 *   npx tsx scripts/import-targets.ts --effort expand-sanctuary --file targets.csv [--remote] [--sql out.sql]
 *
 * Columns (a header row; order free): name,title,jurisdiction,state[,lat,lon]
 *   Denise Lynn,Mayor,Evansville,IN,37.9716,-87.5711
 *   Daniel Biss,Mayor,Evanston,Illinois,,
 * Without lat/lon a row is placed at its jurisdiction's city from the gazetteer ("St. Louis County" is
 * tried as "St. Louis" too). `state` is a USPS code or a state name.
 * Idempotent: a target is keyed by (effort, jurisdiction, state, title); importing again updates its
 * name and coordinates. Nothing is written if any row is invalid: every problem is listed with its line.
 * Local D1 by default (the one `npm start` uses); --remote writes to the deployed database.
 */
import { parse } from 'csv-parse/sync';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { placeKey, stateCode } from '../worker/src/place-names.ts';
import { Slug } from '../worker/src/schemas.ts';
import { buildGazetteer } from './gazetteer.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const optionalNumber = (min: number, max: number) =>
  z.preprocess((v) => (v === '' || v === undefined ? undefined : Number(v)), z.number().min(min).max(max).optional());

const Row = z.object({
  name: z.string().trim().min(1, 'name is empty').max(120),
  title: z.string().trim().min(1, 'title is empty').max(80),
  jurisdiction: z.string().trim().min(1, 'jurisdiction is empty').max(120),
  state: z
    .string()
    .trim()
    .transform((s, ctx) => stateCode(s) ?? (ctx.addIssue({ code: 'custom', message: `unknown state "${s}"` }), z.NEVER)),
  lat: optionalNumber(-90, 90),
  lon: optionalNumber(-180, 180),
});

export interface TargetInput {
  name: string;
  title: string;
  jurisdiction: string;
  state: string;
  lat: number;
  lon: number;
}

/** Parses and checks the CSV; geocodes rows without coordinates. Returns the targets or the problems. */
export function readTargetsCsv(text: string): { targets: TargetInput[]; problems: string[] } {
  const records = parse(text, { columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()), skip_empty_lines: true, trim: true, bom: true }) as Record<string, string>[];
  const problems: string[] = [];
  const targets: TargetInput[] = [];
  let cities: Map<string, { lat: number; lon: number }> | null = null;
  records.forEach((record, i) => {
    const line = i + 2; // after the header
    const parsed = Row.safeParse(record);
    if (!parsed.success) {
      problems.push(`line ${line}: ${parsed.error.issues.map((x) => `${x.path.join('.') || 'row'}: ${x.message}`).join('; ')}`);
      return;
    }
    const r = parsed.data;
    let { lat, lon } = r;
    if ((lat === undefined) !== (lon === undefined)) {
      problems.push(`line ${line}: give both lat and lon, or neither`);
      return;
    }
    if (lat === undefined || lon === undefined) {
      cities ??= new Map(buildGazetteer().cities.map((c) => [`${c.key}|${c.state}`, c]));
      const names = [r.jurisdiction, r.jurisdiction.replace(/^(city|town|village|borough|township) of\s+/i, '').replace(/\s+(county|parish|borough|city|town|village|township)$/i, '')];
      const found = names.map((n) => cities!.get(`${placeKey(n)}|${r.state}`)).find(Boolean);
      if (!found) {
        problems.push(`line ${line}: "${r.jurisdiction}, ${r.state}" is not in the gazetteer: add lat and lon`);
        return;
      }
      ({ lat, lon } = found);
    }
    targets.push({ name: r.name, title: r.title, jurisdiction: r.jurisdiction, state: r.state, lat, lon });
  });
  if (!records.length) problems.push('no rows: the file needs a header (name,title,jurisdiction,state,lat,lon) and at least one row');
  return { targets, problems };
}

const sqlText = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Idempotent upserts of `targets` into effort `slug`, 100 rows per statement. */
export function targetsStatements(slug: string, targets: TargetInput[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < targets.length; i += 100) {
    const values = targets
      .slice(i, i + 100)
      .map((t) => `(${sqlText(t.name)}, ${sqlText(t.title)}, ${sqlText(t.jurisdiction)}, ${sqlText(t.state)}, ${t.lat}, ${t.lon})`)
      .join(',\n  ');
    out.push(
      `INSERT INTO targets (effort_id, name, title, jurisdiction, state, lat, lon)\n` +
        `SELECT e.id, v.column1, v.column2, v.column3, v.column4, v.column5, v.column6\n` +
        `  FROM efforts e, (VALUES\n  ${values}) AS v\n WHERE e.slug = ${sqlText(slug)}\n` +
        `ON CONFLICT (effort_id, jurisdiction, state, title) DO UPDATE SET name = excluded.name, lat = excluded.lat, lon = excluded.lon`,
    );
  }
  return out;
}

function wrangler(args: string[]) {
  const r = spawnSync(`${ROOT}node_modules/.bin/wrangler`, args, {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', WRANGLER_LOG_PATH: `${ROOT}.wrangler/logs`, FORCE_COLOR: '0' },
  });
  if (r.status !== 0) throw new Error(`wrangler ${args.join(' ')} exited with ${r.status}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const effort = Slug.safeParse(arg('effort'));
  const file = arg('file');
  if (!effort.success || !file) {
    console.error('usage: npx tsx scripts/import-targets.ts --effort SLUG --file targets.csv [--remote] [--persist-to DIR] [--sql out.sql]');
    process.exit(2);
  }
  const { targets, problems } = readTargetsCsv(readFileSync(file, 'utf8'));
  if (problems.length) {
    console.error(`[sanctuary-petition] ${file}: nothing imported, fix these first:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  const sql = targetsStatements(effort.data, targets).join(';\n') + ';\n';
  const out = arg('sql');
  if (out) {
    writeFileSync(out, sql);
    console.log(`${targets.length} targets → ${out}`);
    process.exit(0);
  }
  const persistTo = arg('persist-to');
  const where = process.argv.includes('--remote') ? ['--remote'] : ['--local', ...(persistTo ? ['--persist-to', persistTo] : [])];
  const check = wrangler(['d1', 'execute', 'DB', ...where, '--json', '--command', `SELECT count(*) AS n FROM efforts WHERE slug = ${sqlText(effort.data)}`]);
  if (!(JSON.parse(check.slice(check.indexOf('['))) as Array<{ results: Array<{ n: number }> }>)[0]?.results[0]?.n) {
    console.error(`[sanctuary-petition] there is no effort "${effort.data}" in that database`);
    process.exit(1);
  }
  mkdirSync(`${ROOT}.tmp`, { recursive: true });
  const tmp = `${ROOT}.tmp/targets-${process.pid}.sql`;
  writeFileSync(tmp, sql);
  wrangler(['d1', 'execute', 'DB', ...where, '--file', tmp, ...(where[0] === '--remote' ? ['--yes'] : [])]);
  console.log(`[sanctuary-petition] ${targets.length} targets imported into "${effort.data}"`);
}
