/**
 * The finder end to end, as `npm start` sets it up: migrations, demo seed and the whole gazetteer in
 * a fresh local D1 behind `wrangler dev`. Random US ZIP codes and typed city names must find the
 * demo campaign that brute force says is nearest.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { distanceKm } from '../worker/src/geo.ts';
import { buildGazetteer } from '../scripts/gazetteer.ts';
import { prepareDatabase } from '../scripts/local-worker.ts';
import { prng } from '../scripts/synthetic.ts';
import { startStack, type Stack } from './harness.ts';

let stack: Stack;
before(async () => {
  stack = await startStack('finder');
});
after(async () => {
  await stack?.close();
});

interface Lookup {
  place: { label: string; lat: number; lon: number; state?: string };
  code: 'found' | 'none_nearby';
  distanceLimitKm: number;
  nearest: { slug: string } | null;
  nearby: Array<{ slug: string; distanceKm: number }>;
  alternatives: Array<{ label: string }>;
}

async function lookup(qs: string): Promise<Lookup> {
  const res = await fetch(`${stack.worker.url}/v1/efforts/expand-sanctuary/lookup?${qs}`).catch((e) => { throw new Error(`${qs}: ${e} ${e.cause}`); });
  assert.equal(res.status, 200, `${qs}: ${res.status} ${await res.clone().text()}`);
  return ((await res.json()) as { data: Lookup }).data;
}

test('any US ZIP code finds the nearest demo campaign (checked by brute force)', async () => {
  const campaigns = stack.query<{ slug: string; lat: number; lon: number }>("SELECT slug, lat, lon FROM campaigns WHERE status = 'live'");
  const zips = buildGazetteer().zips;
  const random = prng(2024);
  const sample = [...Array.from({ length: 40 }, () => zips[Math.floor(random() * zips.length)]!.zip), '99501', '96813', '00901', '60076'];
  for (const zip of sample) {
    const data = await lookup(`q=${zip}`);
    const ranked = campaigns
      .map((c) => ({ slug: c.slug, d: distanceKm(data.place.lat, data.place.lon, c.lat, c.lon) }))
      .sort((a, b) => a.d - b.d);
    assert.equal(data.nearby[0]!.slug, ranked[0]!.slug, `ZIP ${zip} (${data.place.label})`);
    assert.equal(data.code, ranked[0]!.d <= data.distanceLimitKm ? 'found' : 'none_nearby', `ZIP ${zip}`);
  }
});

test('typed city names: state picks one, a bare name answers the biggest with alternatives', async () => {
  assert.equal((await lookup('q=' + encodeURIComponent('Skokie, IL'))).nearest?.slug, 'skokie');
  assert.equal((await lookup('q=' + encodeURIComponent('saint louis, missouri'))).nearest?.slug, 'clayton');
  assert.equal((await lookup('q=' + encodeURIComponent('Cambridge, MA'))).nearest?.slug, 'somerville');
  const portland = await lookup('q=Portland');
  assert.equal(portland.place.label, 'Portland, OR');
  assert.ok(portland.alternatives.some((a) => a.label === 'Portland, ME'));
  assert.equal((await lookup('q=' + encodeURIComponent('San Juan, PR'))).place.state, 'PR');
  assert.equal((await lookup('q=Anchorage')).code, 'none_nearby');
});

test('the whole gazetteer is loaded, once', () => {
  const count = () => stack.query<{ zips: number; cities: number }>('SELECT (SELECT count(*) FROM places) AS zips, (SELECT count(*) FROM cities) AS cities')[0]!;
  const first = count();
  const g = buildGazetteer();
  assert.ok(first.zips >= g.zips.length, `places: ${first.zips}`);
  assert.equal(first.cities, g.cities.length);
  prepareDatabase(stack.stateDir); // what a second `npm start` does
  assert.deepEqual(count(), first);
});
