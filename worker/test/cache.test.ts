/**
 * The read cache (src/cache.ts) on the real Cache API and D1: hits, misses, stale-while-revalidate,
 * purge on sign, errors never cached. Requests go through the whole Worker with an execution context
 * we wait on, so background stores and revalidations are finished before the next request.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../src/index.ts';
import { FRESH_SECONDS, STALE_SECONDS, STORED_AT, cacheKeys } from '../src/cache.ts';
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

const sign = (slug: string) =>
  request(`/v1/campaigns/${slug}/signatures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(signer()),
  });

/** Puts an entry in the cache as if stored `ageSeconds` ago. */
async function plant(key: string, data: unknown, ageSeconds: number) {
  await caches.default.put(
    key,
    new Response(JSON.stringify(data), {
      headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=600', [STORED_AT]: String(Date.now() - ageSeconds * 1000) },
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

  it('purges the campaign page and the effort totals when someone signs', async () => {
    await request('/v1/campaigns/evansville');
    await request('/v1/efforts/expand-sanctuary');
    const cached = await request('/v1/campaigns/evansville');
    expect(cached.cache).toBe('HIT');
    const effortBefore = (await request('/v1/efforts/expand-sanctuary')).body.data.signatureCount;

    const signed = await sign('evansville');
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
    const key = cacheKeys.campaign(BASE, 'somerville');
    const real = (await request('/v1/campaigns/somerville')).body.data;
    await plant(key, { ...real, title: 'Stale title' }, FRESH_SECONDS + 1);
    const stale = await request('/v1/campaigns/somerville');
    expect(stale.cache).toBe('STALE');
    expect(stale.body.data.title).toBe('Stale title');
    const refreshed = await request('/v1/campaigns/somerville');
    expect(refreshed.cache).toBe('HIT');
    expect(refreshed.body.data.title).toBe(real.title);
  });

  it('does not serve an entry past its stale window', async () => {
    const key = cacheKeys.campaign(BASE, 'somerville');
    const real = (await request('/v1/campaigns/somerville')).body.data;
    await plant(key, { ...real, title: 'Too old' }, FRESH_SECONDS + STALE_SECONDS + 1);
    const res = await request('/v1/campaigns/somerville');
    expect(res.cache).toBe('MISS');
    expect(res.body.data.title).toBe(real.title);
  });

  it('never caches an error: a 404 becomes a 200 as soon as the campaign exists', async () => {
    const missing = await request('/v1/campaigns/brand-new-town');
    expect(missing.status).toBe(404);
    await env.DB.prepare(
      `INSERT INTO campaigns (effort_id, slug, town, state, lat, lon, target_name, target_title, title, body, goal, status)
       SELECT id, 'brand-new-town', 'Newtown', 'CT', 41.41, -73.31, 'Dan Rosenthal', 'First Selectman', 'Newtown for all', 'Text', 100, 'live'
         FROM efforts WHERE slug = 'expand-sanctuary'`,
    ).run();
    const found = await request('/v1/campaigns/brand-new-town');
    expect(found.status).toBe(200);
    expect(found.cache).toBe('MISS');
  });

  it('caches lookups by place, and embeds the effort so a first paint needs one request', async () => {
    const a = await request('/v1/efforts/expand-sanctuary/lookup?q=Skokie,%20IL&limit=3');
    const b = await request('/v1/efforts/expand-sanctuary/lookup?q=skokie,%20il&limit=3');
    expect(b.cache).toBe('HIT');
    expect(b.body.data).toEqual(a.body.data);
    const effort = await request('/v1/efforts/expand-sanctuary');
    expect(a.body.data.effort).toEqual(effort.body.data);
    // A different place is a different entry.
    const other = await request('/v1/efforts/expand-sanctuary/lookup?q=60076&limit=3');
    expect(other.cache).toBe('MISS');
    expect(other.body.data.place.label).toBe('Skokie, IL 60076');
  });

  it('keys request-location lookups by the place Cloudflare gives, never sharing one place’s answer with another', async () => {
    const austin = { latitude: '30.27130', longitude: '-97.74260', city: 'Austin', regionCode: 'TX' };
    const chicago = { latitude: '41.88', longitude: '-87.63', city: 'Chicago', regionCode: 'IL' };
    await request('/v1/efforts/expand-sanctuary/lookup', { cf: austin });
    const again = await request('/v1/efforts/expand-sanctuary/lookup', { cf: austin });
    expect(again.cache).toBe('HIT');
    expect(again.body.data.place.label).toBe('Austin, TX');
    const elsewhere = await request('/v1/efforts/expand-sanctuary/lookup', { cf: chicago });
    expect(elsewhere.cache).toBe('MISS');
    expect(elsewhere.body.data.place.label).toBe('Chicago, IL');
    expect(elsewhere.body.data.nearest.slug).toBe('skokie');
  });

  it('answers an unknown place with 404 every time (not cached)', async () => {
    const first = await request('/v1/efforts/expand-sanctuary/lookup?q=Atlantis,%20ZZ');
    const second = await request('/v1/efforts/expand-sanctuary/lookup?q=Atlantis,%20ZZ');
    expect([first.status, second.status]).toEqual([404, 404]);
    const key = cacheKeys.lookup(BASE, 'expand-sanctuary', 'q=atlantis, zz', 10);
    expect(await caches.default.match(key)).toBeUndefined();
    // The key is the one a found place is stored under: a found place is there after one read.
    await request('/v1/efforts/expand-sanctuary/lookup?q=Ithaca,%20NY');
    expect(await caches.default.match(cacheKeys.lookup(BASE, 'expand-sanctuary', 'q=ithaca, ny', 10))).toBeDefined();
  });
});
