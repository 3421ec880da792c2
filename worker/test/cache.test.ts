/**
 * The read cache (src/cache.ts) on the real Cache API and D1: hits, misses, stale-while-revalidate,
 * purge on sign, errors never cached. Requests go through the whole Worker with an execution context
 * we wait on, so background stores and revalidations are finished before the next request.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../src/index.ts';
import { FRESH_SECONDS, NOT_FOUND, NOT_FOUND_SECONDS, STALE_SECONDS, STORED_AT, cacheKeys, coalesced, purgeCached } from '../src/cache.ts';
import { READ_FACTS_MAX_AGE_MS } from '../src/middleware/origin.ts';
import { BASE, PARTNER_ORIGIN, signer } from './helpers.ts';

/** One request through the Worker; resolves once its waitUntil work is done too. */
async function request(path: string, init: RequestInit & { cf?: Record<string, unknown> } = {}) {
  const ctx = createExecutionContext();
  const headers = new Headers(init.headers);
  headers.set('origin', PARTNER_ORIGIN);
  const res = await worker.fetch(new Request(`${BASE}${path}`, { ...init, headers } as RequestInit), env, ctx);
  const body = await res.json<any>();
  await waitOnExecutionContext(ctx);
  return { status: res.status, cache: res.headers.get('x-cache'), cors: res.headers.get('access-control-allow-origin'), body };
}

const sign = (slug: string, key?: string) =>
  request(`/v1/campaigns/${slug}/signatures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(signer()),
  });

/**
 * Puts a campaign's entry in the cache as if stored `ageSeconds` ago, after a purge (which also drops
 * the copy this isolate holds in memory for HOT_MS).
 */
async function plant(slug: string, data: unknown, ageSeconds: number, extra: Record<string, string> = {}) {
  await purgeCached(BASE, { campaign: slug });
  const key = cacheKeys.campaign(BASE, slug);
  await caches.default.put(
    key,
    new Response(JSON.stringify(data), {
      headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=600', [STORED_AT]: String(Date.now() - ageSeconds * 1000), ...extra },
    }),
  );
}

describe('read cache', () => {
  it('answers the second read of an effort from the cache, with CORS headers set per request', async () => {
    await caches.default.delete(cacheKeys.effort(BASE, 'expand-sanctuary'));
    const first = await request('/v1/efforts/expand-sanctuary');
    const second = await request('/v1/efforts/expand-sanctuary');
    expect([first.cache, second.cache]).toEqual(['MISS', 'HIT']);
    expect(second.body).toEqual(first.body);
    expect(second.cors).toBe(PARTNER_ORIGIN);
  });

  it.each([
    ['without an Idempotency-Key', undefined],
    ['under an Idempotency-Key (as the widget sends)', 'cache-test-key-0001'],
  ])('purges the campaign page and the effort totals when someone signs, %s', async (_, key) => {
    await request('/v1/campaigns/evansville');
    await request('/v1/efforts/expand-sanctuary');
    const cached = await request('/v1/campaigns/evansville');
    expect(cached.cache).toBe('HIT');
    const effortBefore = (await request('/v1/efforts/expand-sanctuary')).body.data.signatureCount;

    const signed = await sign('evansville', key);
    expect(signed.status).toBe(201);

    const after = await request('/v1/campaigns/evansville');
    expect(after.cache).toBe('MISS');
    expect(after.body.data.signatureCount).toBe(cached.body.data.signatureCount + 1);
    expect(after.body.data.recentSigners[0].name).toBe('Ana L.');
    const effortAfter = await request('/v1/efforts/expand-sanctuary');
    expect(effortAfter.cache).toBe('MISS');
    expect(effortAfter.body.data.signatureCount).toBe(effortBefore + 1);
  });

  it('keeps no personal data in a cached campaign page', async () => {
    const s = signer({ firstName: 'Zoë', lastName: 'Quintana', phone: '555 123 4567' });
    await request('/v1/campaigns/ithaca/signatures', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(s) });
    await request('/v1/campaigns/ithaca');
    const entry = await caches.default.match(cacheKeys.campaign(BASE, 'ithaca'));
    const text = await entry!.text();
    expect(text).toContain('Zoë Q.');
    for (const secret of [s.email, 'Quintana', '555 123 4567']) expect(text).not.toContain(secret);
  });

  it('serves a stale entry at once and refreshes it in the background', async () => {
    const real = (await request('/v1/campaigns/somerville')).body.data;
    await plant('somerville', { body: { ...real, title: 'Stale title' }, effortId: 1 }, FRESH_SECONDS + 1);
    const stale = await request('/v1/campaigns/somerville');
    expect(stale.cache).toBe('STALE');
    expect(stale.body.data.title).toBe('Stale title');
    const refreshed = await request('/v1/campaigns/somerville');
    expect(refreshed.cache).toBe('HIT');
    expect(refreshed.body.data.title).toBe(real.title);
  });

  it('does not serve an entry past its stale window', async () => {
    const real = (await request('/v1/campaigns/somerville')).body.data;
    await plant('somerville', { body: { ...real, title: 'Too old' }, effortId: 1 }, FRESH_SECONDS + STALE_SECONDS + 1);
    const res = await request('/v1/campaigns/somerville');
    expect(res.cache).toBe('MISS');
    expect(res.body.data.title).toBe(real.title);
  });

  it('answers a 404 from the cache the second time, and D1 again once its short entry is over', async () => {
    const missing = await request('/v1/campaigns/brand-new-town');
    expect([missing.status, missing.cache]).toEqual([404, 'MISS']);
    const again = await request('/v1/campaigns/brand-new-town');
    expect([again.status, again.cache]).toEqual([404, 'HIT']);
    expect(again.body).toEqual(missing.body);
    expect(again.cors).toBe(PARTNER_ORIGIN);
    await env.DB.prepare(
      `INSERT INTO campaigns (effort_id, slug, town, state, lat, lon, target_name, target_title, title, body, goal, status)
       SELECT id, 'brand-new-town', 'Newtown', 'CT', 41.41, -73.31, 'Dan Rosenthal', 'First Selectman', 'Newtown for all', 'Text', 100, 'live'
         FROM efforts WHERE slug = 'expand-sanctuary'`,
    ).run();
    // Within NOT_FOUND_SECONDS the cached 404 still answers; after it, the campaign is found.
    expect((await request('/v1/campaigns/brand-new-town')).status).toBe(404);
    await plant('brand-new-town', missing.body.error, NOT_FOUND_SECONDS + 1, { [NOT_FOUND]: '1' });
    const found = await request('/v1/campaigns/brand-new-town');
    expect([found.status, found.cache]).toEqual([200, 'MISS']);
  });

  it('caches the 404 of an unknown effort and of an unknown place, never another error', async () => {
    expect((await request('/v1/efforts/no-such-effort')).cache).toBe('MISS');
    const effort = await request('/v1/efforts/no-such-effort');
    expect([effort.status, effort.cache, effort.body.error.code]).toEqual([404, 'HIT', 'not_found']);
    await request('/v1/efforts/expand-sanctuary/lookup?q=Nowhereville,%20ZZ');
    const place = await request('/v1/efforts/expand-sanctuary/lookup?q=Nowhereville,%20ZZ');
    expect([place.status, place.cache, place.body.error.code]).toEqual([404, 'HIT', 'place_not_found']);
    expect(place.body.error.issues).toEqual([{ path: 'q', message: 'Unknown place.' }]);
    // A 400 (bad input) is answered before the cache and never stored.
    const bad = await request('/v1/efforts/expand-sanctuary/lookup?lat=100&lon=0');
    expect([bad.status, bad.cache]).toEqual([400, null]);
  });

  it('a suppressed campaign becomes a 404 when its stale entry is refreshed', async () => {
    const real = (await request('/v1/campaigns/brand-new-town')).body.data;
    await plant('brand-new-town', { body: real, effortId: 1 }, FRESH_SECONDS + 1);
    await env.DB.prepare("UPDATE campaigns SET status = 'suppressed' WHERE slug = 'brand-new-town'").run();
    expect((await request('/v1/campaigns/brand-new-town')).cache).toBe('STALE');
    const gone = await request('/v1/campaigns/brand-new-town');
    expect([gone.status, gone.cache]).toEqual([404, 'HIT']);
  });

  it('one entry serves every limit up to its step and every unit', async () => {
    const three = await request('/v1/efforts/expand-sanctuary/lookup?lat=33.4&lon=-101.7&limit=3&units=km');
    expect(three.cache).toBe('MISS');
    const four = await request('/v1/efforts/expand-sanctuary/lookup?lat=33.4&lon=-101.7&limit=4&units=mi');
    expect(four.cache).toBe('HIT');
    expect(three.body.data.nearby).toHaveLength(3);
    expect(four.body.data.nearby).toHaveLength(4);
    expect(four.body.data.nearby.slice(0, 3).map((n: { slug: string }) => n.slug)).toEqual(three.body.data.nearby.map((n: { slug: string }) => n.slug));
    expect(four.body.data.unit).toBe('mi');
    expect(four.body.data.nearby[0].distance).toBeCloseTo(three.body.data.nearby[0].distance / 1.609344, 1);
    expect(four.body.data.nearby[0].distanceKm).toBe(three.body.data.nearby[0].distanceKm);
    // The same as computing it fresh for that limit.
    const uncached = await worker.fetch(
      new Request(`${BASE}/v1/efforts/expand-sanctuary/lookup?lat=33.4&lon=-101.7&limit=4&units=mi`),
      { ...env, READ_CACHE: 'off' },
      createExecutionContext(),
    );
    expect((await uncached.json<any>()).data.nearby).toEqual(four.body.data.nearby);
  });

  it('embeds the effort in a lookup, so a first paint needs one request', async () => {
    const a = await request('/v1/efforts/expand-sanctuary/lookup?q=60076&limit=3');
    const effort = await request('/v1/efforts/expand-sanctuary');
    expect(a.body.data.effort).toEqual(effort.body.data);
  });

  it('answers a repeated lookup from the cache: the same place however it is typed, points to about 100 m', async () => {
    const first = await request('/v1/efforts/expand-sanctuary/lookup?q=Lubbock,%20TX&limit=4');
    expect(first.status).toBe(200);
    const again = await request('/v1/efforts/expand-sanctuary/lookup?q=%20lubbock,%20%20tx%20&limit=4');
    expect(again.cache).toBe('HIT');
    expect(again.body.data.nearby).toEqual(first.body.data.nearby);
    // A limit of another step (LIMIT_STEPS: 5, 10, 25, 50) is another answer.
    expect((await request('/v1/efforts/expand-sanctuary/lookup?q=Lubbock,%20TX&limit=11')).cache).toBe('MISS');
    const a = await request('/v1/efforts/expand-sanctuary/lookup?lat=33.57712&lon=-101.85519');
    const b = await request('/v1/efforts/expand-sanctuary/lookup?lat=33.5773&lon=-101.8548');
    expect(b.cache).toBe('HIT');
    expect(a.body.data.place).toMatchObject({ label: '33.577, -101.855', lat: 33.577, lon: -101.855, source: 'coordinates' });
    expect(b.body.data).toEqual(a.body.data);
  });

  it('a cached lookup still carries the effort’s fresh totals after a signature', async () => {
    const before = await request('/v1/efforts/expand-sanctuary/lookup?q=79401');
    await request('/v1/efforts/expand-sanctuary/lookup?q=79401');
    expect((await sign('lubbock')).status).toBe(201);
    const after = await request('/v1/efforts/expand-sanctuary/lookup?q=79401');
    expect(after.body.data.effort.signatureCount).toBe(before.body.data.effort.signatureCount + 1);
  });

  it('a campaign suppressed, approved or moved shows in lookups within a few seconds (the lookup generation)', async () => {
    // Reads take the generation from the read facts, at most READ_FACTS_MAX_AGE_MS old (cached reads then cost D1 nothing).
    const waitOutReadFacts = () => new Promise((resolve) => setTimeout(resolve, READ_FACTS_MAX_AGE_MS + 20));
    const slugs = async () => ((await request('/v1/efforts/expand-sanctuary/lookup?q=79401&limit=50')).body.data.nearby as { slug: string }[]).map((c) => c.slug);
    expect(await slugs()).toContain('lubbock');
    expect((await request('/v1/efforts/expand-sanctuary/lookup?q=79401&limit=50')).cache).toBe('HIT');
    // Straight in SQL, as an organizer's script might: no purge call, the trigger is enough.
    await env.DB.prepare("UPDATE campaigns SET status = 'suppressed' WHERE slug = 'lubbock'").run();
    await waitOutReadFacts();
    expect(await slugs()).not.toContain('lubbock');
    await env.DB.prepare("UPDATE campaigns SET status = 'live' WHERE slug = 'lubbock'").run();
    await waitOutReadFacts();
    expect(await slugs()).toContain('lubbock');
    // A signature does not change the generation: the list stays cached.
    const gen = async () => (await env.DB.prepare("SELECT lookup_gen AS g FROM efforts WHERE slug = 'expand-sanctuary'").first<{ g: number }>())!.g;
    const g = await gen();
    await sign('lubbock');
    expect(await gen()).toBe(g);
  }, 20_000);
});

describe('purges shared between concurrent signers (coalesced, optionally at least a gap apart)', () => {
  /** A purge that records when each run starts and finishes, and waits until released. */
  function recorder() {
    const log: string[] = [];
    const releases: Array<() => void> = [];
    let runs = 0;
    const purge = coalesced(() => {
      const n = ++runs;
      log.push(`start ${n}`);
      return new Promise<void>((resolve) => releases.push(() => (log.push(`end ${n}`), resolve())));
    });
    return { log, purge, release: () => releases.shift()?.(), runs: () => runs };
  }
  const tick = () => new Promise((r) => setTimeout(r, 0));

  it('a caller alone gets a run of its own', async () => {
    const r = recorder();
    const done = r.purge();
    r.release();
    await done;
    expect(r.log).toEqual(['start 1', 'end 1']);
  });

  it('callers arriving during a run share one run that starts after it: every caller has a run begun after its call', async () => {
    const r = recorder();
    const first = r.purge();
    const later = Array.from({ length: 20 }, () => r.purge());
    await tick();
    expect(r.runs()).toBe(1);
    let laterDone = false;
    void Promise.all(later).then(() => (laterDone = true));
    r.release(); // run 1 ends: run 2 starts for the 20 who came during run 1
    await first;
    await tick();
    expect(r.runs()).toBe(2);
    expect(laterDone).toBe(false);
    r.release();
    await Promise.all(later);
    expect(r.log).toEqual(['start 1', 'end 1', 'start 2', 'end 2']);
  });

  it('with a minimum gap, runs start that far apart; a caller during the gap shares the one run after it', async () => {
    const GAP = 60;
    const starts: number[] = [];
    const purge = coalesced(async () => {
      starts.push(Date.now());
    }, GAP);
    await purge(); // run 1, at once
    const during = Array.from({ length: 10 }, () => purge());
    await Promise.all(during); // run 2, for all ten, once the gap is over
    expect(starts).toHaveLength(2);
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(GAP);
    // Each caller's run began after its call: the ten were called after run 1 had started.
    await new Promise((r) => setTimeout(r, GAP));
    await purge(); // gap over, nothing running: at once
    expect(starts).toHaveLength(3);
  });

  it('a failed run fails its callers, and the next caller starts afresh', async () => {
    let fail = true;
    const purge = coalesced(async () => {
      if (fail) throw new Error('cache unavailable');
    });
    await expect(purge()).rejects.toThrow('cache unavailable');
    fail = false;
    await expect(purge()).resolves.toBeUndefined();
  });
});
