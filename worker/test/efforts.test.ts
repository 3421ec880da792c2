import { describe, expect, it } from 'vitest';
import { call, json } from './helpers.ts';

describe('GET /v1/efforts/:slug', () => {
  it('returns the seeded effort with its totals', async () => {
    const res = await call('/v1/efforts/expand-sanctuary');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const { data } = await json(res);
    expect(data).toEqual({
      slug: 'expand-sanctuary',
      title: 'Tell Your Mayor to Defy Trump, Expand Sanctuary',
      body: 'With the new executive orders, our cities need a new take on sanctuary that protects everyone.',
      goal: 30000,
      signatureCount: 9,
      confirmedCount: 0,
      campaignCount: 9,
    });
  });

  it('answers an unknown effort with 404 in the envelope, CORS headers included', async () => {
    const res = await call('/v1/efforts/no-such-effort');
    expect(res.status).toBe(404);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://partner.example');
    expect(await json(res)).toEqual({ error: { code: 'not_found', message: 'That effort was not found.' } });
  });

  it('rejects a malformed slug with 400 validation_failed naming the field', async () => {
    const res = await call('/v1/efforts/Not_A_Slug');
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.issues[0].path).toBe('slug');
  });
});

describe('GET /v1/efforts/:slug/lookup', () => {
  const lookup = (qs: string, init?: RequestInit & { cf?: Record<string, unknown> }) =>
    call(`/v1/efforts/expand-sanctuary/lookup?${qs}`, init);

  it('finds Skokie first for ZIP 60076, with distances in ascending order', async () => {
    const { data } = await json(await lookup('q=60076'));
    expect(data.place).toMatchObject({ source: 'zip', label: 'Skokie, IL 60076' });
    expect(data.nearest.slug).toBe('skokie');
    expect(data.nearest.distanceKm).toBe(0);
    expect(data.nearby).toHaveLength(9);
    const distances = data.nearby.map((c: { distanceKm: number }) => c.distanceKm);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    expect(data.nearby[0]).toMatchObject({
      town: 'Skokie',
      state: 'IL',
      target: { name: 'George Van Dusen', title: 'Mayor' },
      goal: 100,
      signatureCount: 1,
      creatorName: 'Michael D.',
    });
  });

  it('accepts ZIP+4 and "City, ST" and a bare city name', async () => {
    expect((await json(await lookup('q=60076-1234'))).data.nearest.slug).toBe('skokie');
    expect((await json(await lookup('q=' + encodeURIComponent('Santa Maria, CA')))).data.nearest.slug).toBe('santa-maria');
    expect((await json(await lookup('q=ithaca'))).data.nearest.slug).toBe('ithaca');
  });

  it('ranks by coordinates: a point near Somerville finds Somerville, then the next closest is farther', async () => {
    const { data } = await json(await lookup('lat=42.39&lon=-71.1&limit=2'));
    expect(data.place.source).toBe('coordinates');
    expect(data.nearby.map((c: { slug: string }) => c.slug)).toEqual(['somerville', 'ithaca']);
  });

  it('uses the request location when no place is given, and says when nothing is within the limit', async () => {
    // Austin, TX: the closest campaign (Laredo) is ~370 km away, beyond the 150 km limit.
    const res = await lookup('limit=3', { cf: { latitude: '30.27130', longitude: '-97.74260', city: 'Austin', regionCode: 'TX' } });
    const { data } = await json(res);
    expect(data.place).toMatchObject({ source: 'request', label: 'Austin, TX' });
    expect(data.nearest).toBeNull();
    expect(data.nearby[0].slug).toBe('laredo');
    expect(data.nearby[0].distanceKm).toBeGreaterThan(data.distanceLimitKm);
  });

  it('answers an unknown place with 404 place_not_found', async () => {
    const res = await lookup('q=Atlantis');
    expect(res.status).toBe(404);
    expect((await json(res)).error.code).toBe('place_not_found');
  });

  it.each([
    ['lat=91&lon=0', 'lat'],
    ['lat=45', 'lat'],
    ['lat=abc&lon=1', 'lat'],
    ['q=', 'q'],
    ['limit=0', 'limit'],
    ['q=60076&evil=1', 'evil'],
  ])('rejects %s with 400 naming %s', async (qs, field) => {
    const res = await lookup(qs);
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.issues.map((i: { path: string }) => i.path)).toContain(field);
  });

  it('answers 404 for an unknown effort', async () => {
    const res = await call('/v1/efforts/nope/lookup?q=60076');
    expect(res.status).toBe(404);
  });
});
