/**
 * What a read costs D1, counted with a wrapped binding (src/d1-count.ts): a read answered from the
 * cache makes no D1 call at all (the origin verdict and the lookup generation come from the isolate's
 * read facts), and the read limiter answers floods with 429 in the envelope.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import worker from '../src/index.ts';
import { countingD1, type D1Counter } from '../src/d1-count.ts';
import { READ_FACTS_MS, SHARED_FACTS_MS } from '../src/middleware/origin.ts';
import { READ_LIMIT_PERIOD_S } from '../src/middleware/rate-limit.ts';
import { BASE, PARTNER_ORIGIN, call, json } from './helpers.ts';

const counter: D1Counter = { calls: 0 };
const counted = { ...env, DB: countingD1(env.DB, counter) };

/** One read through the Worker on the counting binding: its status, X-Cache and the D1 calls it made (its background work included). */
async function read(path: string) {
  const ctx = createExecutionContext();
  const before = counter.calls;
  const res = await worker.fetch(new Request(`${BASE}${path}`, { headers: { origin: PARTNER_ORIGIN } }), counted, ctx);
  await res.arrayBuffer();
  await waitOnExecutionContext(ctx);
  return { status: res.status, cache: res.headers.get('x-cache'), d1: counter.calls - before };
}

afterEach(() => vi.restoreAllMocks());

describe('a cached read costs D1 nothing', () => {
  it('the counting binding counts each statement run and each batch', async () => {
    const before = counter.calls;
    await counted.DB.prepare('SELECT 1').first();
    await counted.DB.prepare('SELECT ?1').bind(2).all();
    await counted.DB.batch([counted.DB.prepare('SELECT 1'), counted.DB.prepare('SELECT ?1').bind(2)]);
    expect(counter.calls - before).toBe(3);
  });

  it.each([
    ['effort', '/v1/efforts/expand-sanctuary'],
    ['campaign page', '/v1/campaigns/skokie'],
    ['lookup by ZIP', '/v1/efforts/expand-sanctuary/lookup?q=60076'],
    ['lookup at a point', '/v1/efforts/expand-sanctuary/lookup?lat=42.03&lon=-87.74&limit=3'],
    ['unknown campaign (404)', '/v1/campaigns/no-such-town'],
  ])('%s: the first read asks D1, the next ones answered from the cache make no D1 call', async (_, path) => {
    // Time stands still: the read facts stay fresh between the reads, however slow the machine.
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now);
    const first = await read(path);
    expect(first.cache).toBe('MISS');
    expect(first.d1).toBeGreaterThan(0);
    for (let i = 0; i < 3; i++) {
      const again = await read(path);
      expect([again.status, again.cache, again.d1]).toEqual([first.status, 'HIT', 0]);
    }
  });

  it('the read facts: from the isolate for READ_FACTS_MS, then the data centre\'s copy, then one D1 read after SHARED_FACTS_MS', async () => {
    const now = Date.now();
    const clock = vi.spyOn(Date, 'now').mockReturnValue(now);
    await read('/v1/efforts/expand-sanctuary/lookup?lat=41.9&lon=-87.7');
    expect((await read('/v1/efforts/expand-sanctuary/lookup?lat=41.9&lon=-87.7')).d1).toBe(0);
    clock.mockReturnValue(now + READ_FACTS_MS + 1);
    expect(await read('/v1/efforts/expand-sanctuary/lookup?lat=41.9&lon=-87.7')).toEqual({ status: 200, cache: 'HIT', d1: 0 });
    clock.mockReturnValue(now + SHARED_FACTS_MS + 1);
    expect(await read('/v1/efforts/expand-sanctuary/lookup?lat=41.9&lon=-87.7')).toEqual({ status: 200, cache: 'HIT', d1: 1 });
    expect((await read('/v1/efforts/expand-sanctuary/lookup?lat=41.9&lon=-87.7')).d1).toBe(0);
  });
});

describe('the read limiter (READ_LIMITER, per client IP)', () => {
  it('answers a flood from one client 429 rate_limited in the envelope, with Retry-After and CORS; other clients read on', async () => {
    const flood = { 'cf-connecting-ip': '198.51.100.201' };
    const first = await call('/v1/efforts/expand-sanctuary', { headers: flood });
    expect(first.status).toBe(200);
    let refused: Response | undefined;
    // wrangler.toml allows 100 reads per 10 s: within 250, the limiter refuses (even across one window's end).
    for (let i = 0; i < 250 && !refused; i++) {
      const res = await call(i % 2 ? '/v1/campaigns/skokie' : `/v1/efforts/expand-sanctuary/lookup?lat=${(30 + i / 100).toFixed(2)}&lon=-90`, { headers: flood });
      if (res.status === 429) refused = res;
      else {
        expect(res.status).toBe(200);
        await res.arrayBuffer();
      }
    }
    expect(refused).toBeDefined();
    expect(refused!.headers.get('retry-after')).toBe(String(READ_LIMIT_PERIOD_S));
    expect(refused!.headers.get('access-control-allow-origin')).toBe(PARTNER_ORIGIN);
    expect(await json(refused!)).toEqual({ error: { code: 'rate_limited', message: expect.stringMatching(/Too many requests/) } });
    // Someone else (another IP, or the same household's IPv6 /64 neighbour is the same client) still reads.
    expect((await call('/v1/efforts/expand-sanctuary', { headers: { 'cf-connecting-ip': '198.51.100.202' } })).status).toBe(200);
    // RATE_LIMITS = "off" (local benchmarks) lets the flood through.
    const off = await worker.fetch(new Request(`${BASE}/v1/efforts/expand-sanctuary`, { headers: flood }), { ...env, RATE_LIMITS: 'off' }, createExecutionContext());
    expect(off.status).toBe(200);
  }, 30_000);

  it('does not count the organizer API (behind its token) nor CORS preflights', async () => {
    const ip = { 'cf-connecting-ip': '198.51.100.203' };
    // 60 + 60 requests: more than the 100 a client may read in 10 s, were they counted.
    for (let i = 0; i < 60; i++) {
      const res = await call('/v1/admin/efforts', { headers: ip });
      expect(res.status).not.toBe(429);
      await res.arrayBuffer();
    }
    for (let i = 0; i < 60; i++) {
      const res = await call('/v1/efforts/expand-sanctuary', { method: 'OPTIONS', headers: { ...ip, 'access-control-request-method': 'GET' } });
      expect(res.status).not.toBe(429);
    }
    expect((await call('/v1/efforts/expand-sanctuary', { headers: ip })).status).toBe(200);
  }, 30_000);
});
