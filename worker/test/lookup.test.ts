/**
 * The finder: GET /v1/efforts/:slug/lookup with a gazetteer subset taken from the real data
 * (worker/vitest.config.ts), and the grid-index search checked against brute force.
 */
import { env } from 'cloudflare:test';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { syntheticEffortStatements } from '../../scripts/synthetic.ts';
import { nearestCampaignsWithStats } from '../src/db/campaigns.ts';
import { MAX_RING_QUERIES } from '../src/db/ring.ts';
import { READ_FACTS_MAX_AGE_MS } from '../src/middleware/origin.ts';
import { nearestAwaitingTargets } from '../src/db/targets.ts';
import { COARSE, FINE, WIDE, cellOf, distanceKm, type Grid } from '../src/geo.ts';
import { parsePlaceQuery, placeKey } from '../src/place-names.ts';
import { call, json } from './helpers.ts';

const lookup = (qs: string, init?: RequestInit & { cf?: Record<string, unknown> }) =>
  call(`/v1/efforts/expand-sanctuary/lookup?${qs}`, init);

const effortId = async (slug: string) =>
  (await env.DB.prepare('SELECT id FROM efforts WHERE slug = ?1').bind(slug).first<{ id: number }>())!.id;

const city = (name: string, state: string) =>
  env.DB.prepare('SELECT lat, lon FROM cities WHERE name_key = ?1 AND state = ?2')
    .bind(placeKey(name), state)
    .first<{ lat: number; lon: number }>();

beforeAll(async () => {
  await env.DB.batch(env.TEST_GAZETTEER.map((s) => env.DB.prepare(s)));
});

describe('parsing what a supporter types', () => {
  it.each([
    ['60076', { kind: 'zip', zip: '60076' }],
    ['60076-1234', { kind: 'zip', zip: '60076' }],
    ['600761234', { kind: 'zip', zip: '60076' }],
    [' 60076 ', { kind: 'zip', zip: '60076' }],
    ['Skokie, IL', { kind: 'city', city: 'Skokie', state: 'IL', alsoWhole: false }],
    ['skokie,il', { kind: 'city', city: 'skokie', state: 'IL', alsoWhole: false }],
    ['Springfield, Illinois', { kind: 'city', city: 'Springfield', state: 'IL', alsoWhole: false }],
    ['Skokie, IL 60076', { kind: 'city', city: 'Skokie', state: 'IL', alsoWhole: false }],
    ['Washington, D.C.', { kind: 'city', city: 'Washington', state: 'DC', alsoWhole: false }],
    ['Portland Oregon', { kind: 'city', city: 'Portland', state: 'OR', alsoWhole: true }],
    ['Fargo North Dakota', { kind: 'city', city: 'Fargo', state: 'ND', alsoWhole: true }],
    ['Skokie IL', { kind: 'city', city: 'Skokie', state: 'IL', alsoWhole: true }],
    ['Springfield', { kind: 'city', city: 'Springfield', state: null, alsoWhole: false }],
    ['Mayagüez, Puerto Rico', { kind: 'city', city: 'Mayagüez', state: 'PR', alsoWhole: false }],
  ])('%s', (q, expected) => {
    expect(parsePlaceQuery(q)).toEqual(expected);
  });

  it.each(['1234', '123456', '60076-12', '<script>', '!!!', 'a', '6007x'])('rejects %s', (q) => {
    expect(parsePlaceQuery(q)).toBeNull();
  });

  it('compares names by key: Saint/St., accents, hyphens', () => {
    expect(placeKey('Saint Louis')).toBe(placeKey('St. Louis'));
    expect(placeKey('Mayagüez')).toBe('mayaguez');
    expect(placeKey('Winston-Salem')).toBe('winston salem');
    expect(placeKey('Fort Worth')).toBe(placeKey('Ft. Worth'));
  });
});

describe('lookup by ZIP, city and point, with the gazetteer', () => {
  it('finds a ZIP code anywhere: Alaska, Hawaii, Puerto Rico', async () => {
    for (const [zip, label, state] of [
      ['99501', 'Anchorage, AK 99501', 'AK'],
      ['96813', 'Honolulu, HI 96813', 'HI'],
      ['00901', 'San Juan, PR 00901', 'PR'],
    ] as const) {
      const res = await lookup(`q=${zip}`);
      expect(res.status).toBe(200);
      const { data } = await json(res);
      expect(data.place).toMatchObject({ source: 'zip', label, zip, state });
      // No demo campaign is near these: the answer says so, and still lists the closest.
      expect(data.code).toBe('none_nearby');
      expect(data.nearest).toBeNull();
      expect(data.nearby.length).toBeGreaterThan(0);
      expect(data.nearby[0].distanceKm).toBeGreaterThan(data.distanceLimitKm);
    }
  });

  it('accepts ZIP+4 and answers an unknown but well-formed ZIP with 404 place_not_found', async () => {
    expect((await json(await lookup('q=99501-1234'))).data.place.zip).toBe('99501');
    const res = await lookup('q=00000');
    expect(res.status).toBe(404);
    expect((await json(res)).error.code).toBe('place_not_found');
  });

  it('"City, ST" and "City, State" pick the state; the place has its population', async () => {
    const il = (await json(await lookup('q=' + encodeURIComponent('Springfield, IL')))).data;
    expect(il.place).toMatchObject({ source: 'city', label: 'Springfield, IL', state: 'IL' });
    expect(il.place.population).toBeGreaterThan(100000);
    expect(il.alternatives).toEqual([]);
    const or = (await json(await lookup('q=' + encodeURIComponent('Springfield, Oregon')))).data;
    expect(or.place.label).toBe('Springfield, OR');
    const stl = (await json(await lookup('q=' + encodeURIComponent('Saint Louis, MO')))).data;
    expect(stl.place.label).toBe('St. Louis, MO');
    expect(stl.nearest.slug).toBe('clayton');
  });

  it('a bare ambiguous name answers the most populous place first, with the others as alternatives', async () => {
    const { data } = await json(await lookup('q=Portland'));
    expect(data.place.label).toBe('Portland, OR');
    const labels = data.alternatives.map((a: { label: string }) => a.label);
    expect(labels[0]).toBe('Portland, ME');
    expect(labels).not.toContain('Portland, OR');
    const pops = [data.place, ...data.alternatives].map((p: { population: number | null }) => p.population ?? 0);
    expect(pops).toEqual([...pops].sort((a, b) => b - a));

    const spring = (await json(await lookup('q=springfield'))).data;
    expect(spring.alternatives.length).toBeGreaterThanOrEqual(3);
    expect(new Set([spring.place.state, ...spring.alternatives.map((a: { state: string }) => a.state)]).size).toBe(
      1 + spring.alternatives.length,
    );
    // San Juan, Puerto Rico outnumbers San Juan, Texas.
    const sj = (await json(await lookup('q=san%20juan'))).data;
    expect(sj.place.label).toBe('San Juan, PR');
    expect(sj.alternatives.map((a: { label: string }) => a.label)).toContain('San Juan, TX');
  });

  it('finds Alaska, Hawaii and Puerto Rico cities by name, accents or not', async () => {
    expect((await json(await lookup('q=Anchorage'))).data.place.label).toBe('Anchorage, AK');
    expect((await json(await lookup('q=honolulu'))).data.place.label).toBe('Honolulu, HI');
    expect((await json(await lookup('q=Mayaguez'))).data.place.label).toBe('Mayagüez, PR');
    expect((await json(await lookup('q=' + encodeURIComponent('Portland Oregon')))).data.place.label).toBe('Portland, OR');
  });

  it('answers an unknown place with 404 place_not_found, and text it cannot read with 400', async () => {
    const res = await lookup('q=Xyzzyville');
    expect(res.status).toBe(404);
    expect(await json(res)).toMatchObject({ error: { code: 'place_not_found', issues: [{ path: 'q' }] } });
    for (const q of ['1234', '<script>', '%25%25%25', '60076-12']) {
      const bad = await lookup(`q=${q}`);
      expect(bad.status).toBe(400);
      expect(await json(bad)).toMatchObject({ error: { code: 'validation_failed', issues: [{ path: 'q' }] } });
    }
  });

  it('speaks miles to en-US and kilometres otherwise, or as ?units= says', async () => {
    const us = (await json(await lookup('q=60201', { headers: { 'accept-language': 'en-US,en;q=0.8' } }))).data;
    expect(us.unit).toBe('mi');
    expect(us.nearest.slug).toBe('skokie');
    expect(us.nearest.distance).toBeCloseTo(us.nearest.distanceKm / 1.609344, 1);
    expect(us.distanceLimit).toBeCloseTo(us.distanceLimitKm / 1.609344, 1);
    const es = (await json(await lookup('q=60201', { headers: { 'accept-language': 'es-MX,es' } }))).data;
    expect(es.unit).toBe('km');
    expect(es.nearest.distance).toBe(es.nearest.distanceKm);
    const forced = (await json(await lookup('q=60201&units=km', { headers: { 'accept-language': 'en-US' } }))).data;
    expect(forced.unit).toBe('km');
    const bad = await lookup('q=60201&units=furlongs');
    expect(bad.status).toBe(400);
  });

  it('uses the request location when nothing is given', async () => {
    const anchorage = await city('Anchorage', 'AK');
    const res = await lookup('', { cf: { latitude: String(anchorage!.lat), longitude: String(anchorage!.lon), city: 'Anchorage', regionCode: 'AK' } });
    const { data } = await json(res);
    expect(data.place).toMatchObject({ source: 'request', label: 'Anchorage, AK', state: 'AK' });
    expect(data.code).toBe('none_nearby');
    expect(res.headers.get('server-timing')).toMatch(/rows_read=\d+/);
  });
});

describe('officials awaiting a campaign', () => {
  it('lists a target with no live campaign near the place, and drops it once one is live', async () => {
    const evanston = await city('Evanston', 'IL');
    const id = await effortId('expand-sanctuary');
    await env.DB.prepare(
      `INSERT INTO targets (effort_id, name, title, jurisdiction, state, lat, lon) VALUES (?1, 'Daniel Biss', 'Mayor', 'Evanston', 'IL', ?2, ?3)`,
    )
      .bind(id, evanston!.lat, evanston!.lon)
      .run();
    // Each change bumps the lookup generation, which reads see within READ_FACTS_MAX_AGE_MS (the read facts).
    const awaiting = async () => {
      await new Promise((resolve) => setTimeout(resolve, READ_FACTS_MAX_AGE_MS + 20));
      return (await json(await lookup('q=60076'))).data.awaiting;
    };
    // The nine seeded officials all have campaigns: only Evanston's mayor awaits one.
    expect(await awaiting()).toEqual([
      expect.objectContaining({ name: 'Daniel Biss', title: 'Mayor', jurisdiction: 'Evanston', state: 'IL' }),
    ]);
    expect((await awaiting())[0].distanceKm).toBeGreaterThan(0);
    expect((await awaiting())[0].distanceKm).toBeLessThan(15);

    const target = await env.DB.prepare("SELECT id FROM targets WHERE jurisdiction = 'Evanston'").first<{ id: number }>();
    await env.DB.prepare(
      `INSERT INTO campaigns (effort_id, target_id, slug, town, state, lat, lon, target_name, target_title, title, body, status)
       VALUES (?1, ?2, 'evanston', 'Evanston', 'IL', ?3, ?4, 'Daniel Biss', 'Mayor', 'Tell Mayor Biss', 'Body', 'pending')`,
    )
      .bind(id, target!.id, evanston!.lat, evanston!.lon)
      .run();
    // A pending campaign is not reachable, and an unlisted one is awaiting review (anyone can start
    // one): neither hides the official's "start one" prompt (migration 0011).
    expect(await awaiting()).toHaveLength(1);
    await env.DB.prepare("UPDATE campaigns SET status = 'unlisted' WHERE slug = 'evanston'").run();
    expect(await awaiting()).toHaveLength(1);
    await env.DB.prepare("UPDATE campaigns SET status = 'live' WHERE slug = 'evanston'").run();
    expect(await awaiting()).toEqual([]);
    // Far away (Honolulu), Evanston's mayor is beyond the distance limit.
    await env.DB.prepare("UPDATE campaigns SET status = 'suppressed' WHERE slug = 'evanston'").run();
    expect((await json(await lookup('q=96813'))).data.awaiting).toEqual([]);
  }, 30_000);
});

describe('the awaiting column (migrations 0008, 0011)', () => {
  const truth = `NOT EXISTS (SELECT 1 FROM campaigns x WHERE x.target_id = t.id AND x.status = 'live')`;

  it('always equals "no live campaign aims at this official", whatever campaigns do (property)', async () => {
    const id = await effortId('expand-sanctuary');
    const targets = (
      await env.DB.batch(
        [0, 1, 2].map((i) =>
          env.DB.prepare(
            `INSERT INTO targets (effort_id, name, title, jurisdiction, state, lat, lon)
             VALUES (?1, 'N', 'Mayor', ?2, 'ZZ', 41.5, -88.1) RETURNING id`,
          ).bind(id, `Awaitville ${i}`),
        ),
      )
    ).map((r) => (r.results[0] as { id: number }).id);
    const statuses = ['live', 'unlisted', 'pending', 'suppressed'] as const;
    const op = fc.oneof(
      fc.record({ kind: fc.constant('insert' as const), target: fc.constantFrom(...targets, null), status: fc.constantFrom(...statuses) }),
      fc.record({ kind: fc.constant('status' as const), pick: fc.nat(), status: fc.constantFrom(...statuses) }),
      fc.record({ kind: fc.constant('retarget' as const), pick: fc.nat(), target: fc.constantFrom(...targets, null) }),
      fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 12 }), async (ops) => {
        const mine: string[] = [];
        for (const o of ops) {
          const slug = mine.length ? mine[('pick' in o ? o.pick : 0) % mine.length]! : undefined;
          if (o.kind === 'insert') {
            const s = `awaitville-${n++}`;
            await env.DB.prepare(
              `INSERT INTO campaigns (effort_id, target_id, slug, town, state, lat, lon, target_name, target_title, title, body, status)
               VALUES (?1, ?2, ?3, 'Awaitville', 'ZZ', 41.5, -88.1, 'N', 'Mayor', 't', 'b', ?4)`,
            ).bind(id, o.target, s, o.status).run();
            mine.push(s);
          } else if (slug && o.kind === 'status') {
            await env.DB.prepare('UPDATE campaigns SET status = ?2 WHERE slug = ?1').bind(slug, o.status).run();
          } else if (slug && o.kind === 'retarget') {
            await env.DB.prepare('UPDATE campaigns SET target_id = ?2 WHERE slug = ?1').bind(slug, o.target).run();
          } else if (slug && o.kind === 'delete') {
            await env.DB.prepare('DELETE FROM campaigns WHERE slug = ?1').bind(slug).run();
            mine.splice(mine.indexOf(slug), 1);
          }
          const wrong = await env.DB.prepare(`SELECT count(*) AS n FROM targets t WHERE t.awaiting IS NOT (${truth})`).first<{ n: number }>();
          expect(wrong!.n).toBe(0);
        }
        await env.DB.prepare("DELETE FROM campaigns WHERE slug LIKE 'awaitville-%'").run();
      }),
      { numRuns: 40 },
    );
  });

  it('the grid queries read the partial indexes: live campaigns and awaiting officials only', async () => {
    const plan = async (sql: string) =>
      (await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).all<{ detail: string }>()).results.map((r) => r.detail).join('\n');
    const ranges = "json_each('[[1,2]]') AS r";
    expect(await plan(`SELECT c.id FROM ${ranges} CROSS JOIN campaigns c WHERE c.effort_id = 1 AND c.cell BETWEEN r.value ->> 0 AND r.value ->> 1 AND c.status = 'live'`)).toContain('campaigns_live_cell ');
    expect(await plan(`SELECT c.id FROM ${ranges} CROSS JOIN campaigns c WHERE c.effort_id = 1 AND c.cell_fine BETWEEN r.value ->> 0 AND r.value ->> 1 AND c.status = 'live'`)).toContain('campaigns_live_cell_fine');
    expect(await plan(`SELECT t.id FROM ${ranges} CROSS JOIN targets t WHERE t.effort_id = 1 AND t.cell BETWEEN r.value ->> 0 AND r.value ->> 1 AND t.awaiting = 1`)).toContain('targets_awaiting_cell ');
    expect(await plan(`SELECT t.id FROM ${ranges} CROSS JOIN targets t WHERE t.effort_id = 1 AND t.cell_fine BETWEEN r.value ->> 0 AND r.value ->> 1 AND t.awaiting = 1`)).toContain('targets_awaiting_cell_fine');
    expect(await plan(`SELECT c.id FROM ${ranges} CROSS JOIN campaigns c WHERE c.effort_id = 1 AND c.cell_wide BETWEEN r.value ->> 0 AND r.value ->> 1 AND c.status = 'live'`)).toContain('campaigns_live_cell_wide');
    expect(await plan(`SELECT t.id FROM ${ranges} CROSS JOIN targets t WHERE t.effort_id = 1 AND t.cell_wide BETWEEN r.value ->> 0 AND r.value ->> 1 AND t.awaiting = 1`)).toContain('targets_awaiting_cell_wide');
  });
});

describe('the grid index', () => {
  it('stores the same cells as COARSE.cellOf(), FINE.cellOf() and WIDE.cellOf(), on insert and on move', async () => {
    type Row = { lat: number; lon: number; cell: number; cell_fine: number; cell_wide: number };
    for (const table of ['campaigns', 'targets']) {
      const rows = await env.DB.prepare(`SELECT lat, lon, cell, cell_fine, cell_wide FROM ${table}`).all<Row>();
      expect(rows.results.length).toBeGreaterThan(0);
      for (const r of rows.results) {
        expect(r.cell).toBe(cellOf(r.lat, r.lon));
        expect(r.cell_fine).toBe(FINE.cellOf(r.lat, r.lon));
        expect(r.cell_wide).toBe(WIDE.cellOf(r.lat, r.lon));
      }
    }
    await env.DB.prepare("UPDATE campaigns SET lat = -14.27, lon = -170.7 WHERE slug = 'mellen'").run();
    const moved = await env.DB.prepare("SELECT cell, cell_fine, cell_wide FROM campaigns WHERE slug = 'mellen'").first<Row>();
    expect(moved!.cell).toBe(cellOf(-14.27, -170.7));
    expect(moved!.cell_fine).toBe(FINE.cellOf(-14.27, -170.7));
    expect(moved!.cell_wide).toBe(WIDE.cellOf(-14.27, -170.7));
    await env.DB.prepare("UPDATE campaigns SET lat = 46.3255, lon = -90.6579 WHERE slug = 'mellen'").run();
  });

  // Circles up to the widest each grid reads in a search (and more), so every case stays quick.
  const grids: Array<[string, Grid, number]> = [['fine', FINE, 50], ['coarse', COARSE, 300], ['wide', WIDE, 5000]];

  it.each(grids)('%s grid: every point within R lies in a cell of discRanges(R), and in the circle of r < R or the annulus from r to R (property)', (_, grid, maxKm) => {
    fc.assert(
      fc.property(
        fc.double({ min: -89.99, max: 89.99, noNaN: true }),
        fc.double({ min: -180, max: 180, noNaN: true }),
        fc.double({ min: 0.1, max: maxKm, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
        (lat, lon, km, f, g, bearing) => {
          // A point at distance f·km in direction `bearing` (destination on the sphere).
          const d = (f * km) / 6371.0088;
          const φ1 = (lat * Math.PI) / 180;
          const φ2 = Math.asin(Math.sin(φ1) * Math.cos(d) + Math.cos(φ1) * Math.sin(d) * Math.cos(bearing));
          const λ2 = (lon * Math.PI) / 180 + Math.atan2(Math.sin(bearing) * Math.sin(d) * Math.cos(φ1), Math.cos(d) - Math.sin(φ1) * Math.sin(φ2));
          // f = 0: the point itself (asin(sin φ) may differ from φ in the last bit, across a cell edge).
          const lat2 = f === 0 ? lat : (φ2 * 180) / Math.PI;
          const lon2 = f === 0 ? lon : (((λ2 * 180) / Math.PI + 540) % 360) - 180;
          const dist = distanceKm(lat, lon, lat2, lon2);
          fc.pre(dist < km - 1e-6);
          const cell = grid.cellOf(lat2, lon2);
          const inOf = (ranges: Array<[number, number]>) => ranges.some(([a, b]) => cell >= a && cell <= b);
          // A search that read the circle of radius `inner` then reads only the annulus: together they hold the point.
          const inner = g * km;
          const together = inOf(grid.discRanges(lat, lon, inner)) || inOf(grid.discRanges(lat, lon, km, inner));
          return inOf(grid.discRanges(lat, lon, km)) && together;
        },
      ),
      { numRuns: 3000 },
    );
  });

  it.each(grids)('%s grid: a circle and the annuli around it partition the wider circle: no cell read twice, none missed (property)', (_, grid, maxKm) => {
    const cells = (ranges: Array<[number, number]>) => ranges.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => a + i));
    fc.assert(
      fc.property(
        fc.double({ min: -89.9, max: 89.9, noNaN: true }),
        fc.double({ min: -180, max: 180, noNaN: true }),
        fc.double({ min: 0.5, max: maxKm / 16, noNaN: true }),
        (lat, lon, km) => {
          const whole = new Set(cells(grid.discRanges(lat, lon, 4 * km)));
          const parts = [grid.discRanges(lat, lon, km), grid.discRanges(lat, lon, 2 * km, km), grid.discRanges(lat, lon, 4 * km, 2 * km)].flatMap(cells);
          return parts.length === whole.size && parts.every((c) => whole.has(c));
        },
      ),
      { numRuns: 200 },
    );
  });
});

/** A random point: anywhere in the 50 states, DC, Puerto Rico, near the antimeridian, or on the globe. */
const anyPoint = fc.oneof(
  fc.record({ lat: fc.double({ min: 24, max: 49.5, noNaN: true }), lon: fc.double({ min: -125, max: -66.9, noNaN: true }) }),
  fc.record({ lat: fc.double({ min: 51, max: 71.5, noNaN: true }), lon: fc.double({ min: -179.99, max: -129, noNaN: true }) }),
  fc.record({ lat: fc.double({ min: 18.5, max: 22.5, noNaN: true }), lon: fc.double({ min: -160.5, max: -154.5, noNaN: true }) }),
  fc.record({ lat: fc.double({ min: 17.8, max: 18.6, noNaN: true }), lon: fc.double({ min: -67.3, max: -65.2, noNaN: true }) }),
  fc.record({ lat: fc.double({ min: 50, max: 55, noNaN: true }), lon: fc.double({ min: 170, max: 180, noNaN: true }) }),
  fc.record({ lat: fc.double({ min: -90, max: 90, noNaN: true }), lon: fc.double({ min: -180, max: 180, noNaN: true }) }),
);

type Point = { id: number; lat: number; lon: number };
/** The k closest by brute force: every row, exact haversine, sorted. */
const bruteForce = (rows: Point[], lat: number, lon: number, k: number, maxKm = Infinity) =>
  rows
    .map((r) => ({ id: r.id, d: distanceKm(lat, lon, r.lat, r.lon) }))
    .filter((r) => r.d <= maxKm)
    .sort((a, b) => a.d - b.d || a.id - b.id)
    .slice(0, k);

/** Same distances (ties may order differently), and the same ids wherever distances differ. */
function expectSameRanking(got: Array<{ id: number; distance_km: number }>, want: Array<{ id: number; d: number }>) {
  expect(got.map((g) => g.distance_km)).toEqual(want.map((w) => expect.closeTo(w.d, 6)));
  const strict = (d: number) => want.filter((w) => Math.abs(w.d - d) < 1e-6).length === 1;
  got.forEach((g, i) => {
    if (strict(want[i]!.d)) expect(g.id).toBe(want[i]!.id);
  });
}

describe('nearest campaigns: the grid search agrees with brute force (property)', () => {
  it('on 1,500 campaigns spread like the US population, at random points', async () => {
    await env.DB.batch(
      syntheticEffortStatements(env.TEST_PLACES, { slug: 'prop-us', campaigns: 1500, awaiting: 300, seed: 7 }).map((s) => env.DB.prepare(s)),
    );
    const id = await effortId('prop-us');
    const all = (await env.DB.prepare("SELECT id, lat, lon FROM campaigns WHERE effort_id = ?1 AND status = 'live'").bind(id).all<Point>()).results;
    // Brute force over the officials no live or unlisted campaign aims at (not the `awaiting` column under test).
    const targets = (
      await env.DB.prepare(
        `SELECT id, lat, lon FROM targets t WHERE effort_id = ?1
            AND NOT EXISTS (SELECT 1 FROM campaigns x WHERE x.target_id = t.id AND x.status IN ('live', 'unlisted'))`,
      )
        .bind(id)
        .all<Point>()
    ).results;
    expect(all).toHaveLength(1500);
    // Every campaign aims at an official of its own; 300 more await one.
    expect(targets).toHaveLength(300);
    // Points anywhere, and points among the campaigns (within ~2 km of one: where the fine cells decide).
    const amongCampaigns = fc
      .record({ i: fc.nat(all.length - 1), dLat: fc.double({ min: -0.02, max: 0.02, noNaN: true }), dLon: fc.double({ min: -0.02, max: 0.02, noNaN: true }) })
      .map(({ i, dLat, dLon }) => ({ lat: all[i]!.lat + dLat, lon: all[i]!.lon + dLon }));
    let provedFine = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(anyPoint, amongCampaigns), fc.integer({ min: 1, max: 25 }), async ({ lat, lon }, k) => {
        const { rows, stats } = await nearestCampaignsWithStats(env.DB, id, lat, lon, k);
        expectSameRanking(rows, bruteForce(all, lat, lon, k));
        if (stats.queries === 1) provedFine++;
        expect(stats.queries).toBeGreaterThan(0);
        // The ceiling on one search's work, wherever the point is (the ocean, another continent).
        expect(stats.queries).toBeLessThanOrEqual(MAX_RING_QUERIES + 1);
        expect(stats.rowsRead).toBeGreaterThan(0);
        const maxKm = 150;
        const awaiting = await nearestAwaitingTargets(env.DB, id, lat, lon, 5, maxKm);
        expectSameRanking(awaiting.rows, bruteForce(targets, lat, lon, 5, maxKm));
      }),
      { numRuns: 100 },
    );
    // The fine first step alone settled some of them (else this test would not be testing it).
    expect(provedFine).toBeGreaterThan(0);
  }, 60_000);

  it('on small random efforts anywhere on the globe, with and without a distance limit', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(anyPoint, { maxLength: 30 }),
        anyPoint,
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom(Infinity, 50, 500, 5000),
        async (points, at, k, maxKm) => {
          const slug = `prop-small-${run++}`;
          await env.DB.prepare("INSERT INTO efforts (slug, title, body, goal) VALUES (?1, 'p', 'p', 1)").bind(slug).run();
          const id = await effortId(slug);
          if (points.length) {
            await env.DB.batch(
              points.map((p, i) =>
                env.DB.prepare(
                  `INSERT INTO campaigns (effort_id, slug, town, state, lat, lon, target_name, target_title, title, body)
                   VALUES (?1, ?2, 'T', 'XX', ?3, ?4, 'N', 'Mayor', 't', 'b')`,
                ).bind(id, `${slug}-${i}`, p.lat, p.lon),
              ),
            );
          }
          const all = (await env.DB.prepare('SELECT id, lat, lon FROM campaigns WHERE effort_id = ?1').bind(id).all<Point>()).results;
          const { rows } = await nearestCampaignsWithStats(env.DB, id, at.lat, at.lon, k, maxKm);
          expectSameRanking(rows, bruteForce(all, at.lat, at.lon, k, maxKm));
        },
      ),
      { numRuns: 40 },
    );
  }, 30_000);
});
