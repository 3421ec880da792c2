import { createExecutionContext, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { getPartner, normaliseOrigin, setEffortOrigins, upsertPartner } from '../src/db/origins.ts';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import { READ_FACTS_MAX_AGE_MS } from '../src/middleware/origin.ts';
import { clientKey } from '../src/middleware/rate-limit.ts';
import { SITEVERIFY_URL, verifyTurnstile } from '../src/turnstile.ts';
import { BASE, call, json, postJson, signer } from './helpers.ts';

// Rate limiter state is shared by the tests of this file: each test uses its own campaign and IPs.
const sign = (slug: string) => `/v1/campaigns/${slug}/signatures`;
const campaign = async (slug: string) =>
  (await env.DB.prepare('SELECT id, signature_count FROM campaigns WHERE slug = ?1').bind(slug).first<{ id: number; signature_count: number }>())!;
const rowsFor = async (email: string) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM signatures WHERE email = ?1').bind(email.toLowerCase()).first<{ n: number }>())!.n;
/** Reads take an effort's site list from the read facts, at most READ_FACTS_MAX_AGE_MS old. */
const waitOutReadFacts = () => new Promise((resolve) => setTimeout(resolve, READ_FACTS_MAX_AGE_MS + 20));
const effortId = async () => (await env.DB.prepare("SELECT id FROM efforts WHERE slug = 'expand-sanctuary'").first<{ id: number }>())!.id;

/** The whole Worker with some settings changed, as `wrangler.toml` [vars] or a secret would. */
const withEnv = (over: Partial<Env>, path: string, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  if (!headers.has('origin')) headers.set('origin', 'https://partner.example');
  return worker.fetch(new Request(`${BASE}${path}`, { ...init, headers }), { ...env, ...over }, createExecutionContext());
};
const post = (body: unknown, headers: Record<string, string> = {}) =>
  ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }) satisfies RequestInit;

describe('honeypot and minimum time to submit', () => {
  const held = async (email: string) =>
    env.DB.prepare('SELECT held_reason, counted FROM signatures WHERE email = ?1').bind(email.toLowerCase()).first<{ held_reason: string | null; counted: number }>();

  it('stores a filled honeypot, held out of the counts, and answers it exactly like a person', async () => {
    const real = await postJson(sign('mellen'), signer({ website: '' }));
    expect(real.status).toBe(201);
    const before = await campaign('mellen');
    const bot = signer({ website: 'http://spam.example' });
    const res = await postJson(sign('mellen'), bot);
    expect(res.status).toBe(201);
    // The count a new counted signature would have been answered: the count before it, plus one.
    expect(await json(res)).toEqual({ data: { campaign: 'mellen', signatureCount: before.signature_count + 1, goal: 100, referralCode: expect.any(String) } });
    expect([...res.headers.keys()].sort()).toEqual([...real.headers.keys()].sort());
    expect(await held(bot.email)).toEqual({ held_reason: 'honeypot', counted: 0 });
    expect(await campaign('mellen')).toEqual(before);
  });

  it('stores a form sent faster than MIN_SUBMIT_MS, held; slower or untimed ones count at once', async () => {
    const before = await campaign('mellen');
    const fast = signer({ elapsedMs: 800 });
    expect((await postJson(sign('mellen'), fast)).status).toBe(201);
    expect(await held(fast.email)).toEqual({ held_reason: 'too_fast', counted: 0 });
    const both = signer({ elapsedMs: 5, website: 'x' });
    expect((await postJson(sign('mellen'), both)).status).toBe(201);
    expect(await held(both.email)).toEqual({ held_reason: 'honeypot,too_fast', counted: 0 });
    const slow = signer({ elapsedMs: 4000 });
    const untimed = signer();
    for (const s of [slow, untimed]) expect((await postJson(sign('mellen'), s)).status).toBe(201);
    expect(await held(slow.email)).toEqual({ held_reason: null, counted: 1 });
    expect(await held(untimed.email)).toEqual({ held_reason: null, counted: 1 });
    expect((await campaign('mellen')).signature_count).toBe(before.signature_count + 2);
    // MIN_SUBMIT_MS = "0" turns the check off.
    const instant = signer({ elapsedMs: 0 });
    expect((await withEnv({ MIN_SUBMIT_MS: '0' }, sign('mellen'), post(instant))).status).toBe(201);
    expect(await held(instant.email)).toEqual({ held_reason: null, counted: 1 });
  });

  it('a new, a held and a repeated signature get the same answer, byte for byte but the referral code', async () => {
    const answer = async (body: unknown) => {
      const res = await postJson(sign('mellen'), body);
      const text = await res.text();
      return { status: res.status, headers: [...res.headers.entries()].sort(), body: text.replace(/"referralCode":"[^"]+"/, '"referralCode":"…"') };
    };
    const first = signer();
    await postJson(sign('mellen'), first);
    const fresh = await answer(signer());
    // The one just counted moved the count: compare with what the next request is answered.
    const base = await campaign('mellen');
    const repeat = await answer({ ...first, email: first.email.toUpperCase() });
    const heldOne = await answer(signer({ website: 'filled by a password manager' }));
    const newOne = await answer(signer());
    expect(repeat).toEqual(heldOne);
    expect(heldOne).toEqual(newOne);
    expect(JSON.parse(newOne.body).data.signatureCount).toBe(base.signature_count + 1);
    expect(fresh.status).toBe(201);
  });

  it('still validates the abuse fields themselves', async () => {
    for (const [field, value] of [['elapsedMs', -1], ['elapsedMs', 1.5], ['elapsedMs', '5000'], ['website', 42], ['turnstileToken', 7]] as const) {
      const res = await postJson(sign('mellen'), signer({ [field]: value }));
      expect(res.status, `${field}=${value}`).toBe(400);
      expect((await json(res)).error.issues[0].path).toBe(field);
    }
  });
});

describe('rate limits (the real Rate Limiting binding)', () => {
  it('answers the 31st POST in a minute from one IP with 429 in the envelope, Retry-After and CORS', async () => {
    const ip = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
    // Invalid bodies are cheap and still count: the limit comes before anything else.
    for (let i = 0; i < 30; i++) expect((await postJson(sign('clayton'), {}, { 'cf-connecting-ip': ip })).status).toBe(400);
    const res = await postJson(sign('clayton'), signer(), { 'cf-connecting-ip': ip });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(res.headers.get('access-control-allow-origin')).toBe('https://partner.example');
    // The widget may read Retry-After across origins.
    expect(res.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('retry-after');
    expect(await json(res)).toEqual({
      error: { code: 'rate_limited', message: 'Too many requests from your network. Please wait a minute and try again.' },
    });
    // Reading is not limited, and another address is not affected.
    expect((await call('/v1/campaigns/clayton', { headers: { 'cf-connecting-ip': ip } })).status).toBe(200);
    expect((await postJson(sign('clayton'), signer(), { 'cf-connecting-ip': '203.0.113.9' })).status).toBe(201);
  });

  it('counts an IPv6 /64 as one client', async () => {
    expect(clientKey('2001:db8:aa:bb::1')).toBe('2001:db8:aa:bb::/64');
    expect(clientKey('2001:0DB8:00aa:00bb:1:2:3:4')).toBe('2001:db8:aa:bb::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('192.0.2.1')).toBe('192.0.2.1');
    expect(clientKey('')).toBeNull();
    for (let i = 1; i <= 30; i++) await postJson(sign('clayton'), {}, { 'cf-connecting-ip': `2001:db8:77:1::${i.toString(16)}` });
    const res = await postJson(sign('clayton'), {}, { 'cf-connecting-ip': '2001:db8:77:1:ffff:ffff:ffff:ffff' });
    expect(res.status).toBe(429);
    expect((await postJson(sign('clayton'), {}, { 'cf-connecting-ip': '2001:db8:77:2::1' })).status).toBe(400);
  });

  it('answers signatures on one campaign past its limit with 429, whoever sends them; other campaigns go on', async () => {
    // TEST_LIMITER_5 is a real limiter binding like CAMPAIGN_LIMITER, with a limit of 5 instead of 300.
    const small = { CAMPAIGN_LIMITER: env.TEST_LIMITER_5 };
    const s = signer({ zip: '02143' });
    for (let i = 0; i < 5; i++) {
      const res = await withEnv(small, sign('somerville'), post(s, { 'cf-connecting-ip': `192.0.2.${i + 1}` }));
      expect(res.status).toBe(201);
    }
    const res = await withEnv(small, sign('somerville'), post(signer(), { 'cf-connecting-ip': '192.0.2.99' }));
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('60');
    expect(await json(res)).toEqual({
      error: { code: 'rate_limited', message: 'Too many signatures on this campaign right now. Please wait a minute and try again.' },
    });
    expect((await withEnv(small, sign('lubbock'), post(signer()))).status).toBe(201);
  });

  it('wrangler.toml limits each campaign to 300 signatures a minute', async () => {
    for (let i = 0; i < 300; i++) expect((await env.CAMPAIGN_LIMITER!.limit({ key: 'campaign:config-check' })).success).toBe(true);
    expect((await env.CAMPAIGN_LIMITER!.limit({ key: 'campaign:config-check' })).success).toBe(false);
  });

  it('RATE_LIMITS = "off" turns the limiters off (local benchmarks)', async () => {
    const ip = '198.51.100.254';
    for (let i = 0; i < 30; i++) await postJson(sign('clayton'), {}, { 'cf-connecting-ip': ip });
    expect((await postJson(sign('clayton'), {}, { 'cf-connecting-ip': ip })).status).toBe(429);
    expect((await withEnv({ RATE_LIMITS: 'off' }, sign('clayton'), post({}, { 'cf-connecting-ip': ip }))).status).toBe(400);
  });
});

describe('names', () => {
  it.each([
    ['firstName', 'ana@example.org', /@/],
    ['firstName', 'Call 3125550100', /number/],
    ['lastName', 'cheap-pills.shop', /links/],
    ['lastName', 'see example.com/offer', /links/],
    ['firstName', '@ana', /cannot start with/],
    ['lastName', '-1+1', /cannot start with/],
    ['firstName', 'Ana\uD800', /characters/],
    ['lastName', 'Lo\u202Epez', /characters/],
    ['lastName', 'Lopez\nDROP TABLE', /characters/],
  ])('rejects %s %j with a clear message', async (field, value, message) => {
    const s = signer({ [field]: value });
    const res = await postJson(sign('evansville'), s);
    expect(res.status).toBe(400);
    const issue = (await json(res)).error.issues.find((i: { path: string }) => i.path === field);
    expect(issue.message).toMatch(message);
    expect(issue.message).not.toContain(value);
    expect(await rowsFor(s.email)).toBe(0);
  });

  it.each(["Mary-Jane", "O'Neil", 'St. John', 'José María', 'Nguyễn', 'Zoë', '李', 'Smith Jr.', "D'Angelo-Núñez"])('accepts %j', async (name) => {
    expect((await postJson(sign('evansville'), signer({ firstName: name, lastName: name }))).status).toBe(201);
  });
});

describe('Turnstile', () => {
  it('is off by default: no token needed', async () => {
    expect(env.TURNSTILE_SECRET).toBeUndefined();
    expect((await postJson(sign('evansville'), signer())).status).toBe(201);
  });

  it('with TURNSTILE_SECRET set, a signature without a token is a 400 naming turnstileToken, and is not stored', async () => {
    const s = signer();
    const res = await withEnv({ TURNSTILE_SECRET: 'secret' }, sign('evansville'), post(s));
    expect(res.status).toBe(400);
    expect((await json(res)).error.issues).toEqual([{ path: 'turnstileToken', message: 'Complete the check that you are not a robot.' }]);
    expect(await rowsFor(s.email)).toBe(0);
  });

  describe('verifyTurnstile (siteverify stubbed by injection: no network here)', () => {
    const stub = (reply: () => Response | Promise<Response>) => {
      const calls: { url: string; form: Record<string, string> }[] = [];
      const fetchImpl = (async (url: RequestInfo | URL, init?: RequestInit) => {
        const form = Object.fromEntries([...(init!.body as FormData).entries()].map(([k, v]) => [k, String(v)]));
        calls.push({ url: String(url), form });
        return reply();
      }) as typeof fetch;
      return { calls, fetchImpl };
    };

    it('posts secret, token and IP to siteverify and accepts success', async () => {
      const { calls, fetchImpl } = stub(() => Response.json({ success: true }));
      expect(await verifyTurnstile('s3cret', 'tok', '192.0.2.1', fetchImpl)).toEqual({ ok: true });
      expect(calls).toEqual([{ url: SITEVERIFY_URL, form: { secret: 's3cret', response: 'tok', remoteip: '192.0.2.1' } }]);
    });

    it('rejects a failed, reused or forged token', async () => {
      const { fetchImpl } = stub(() => Response.json({ success: false, 'error-codes': ['timeout-or-duplicate'] }));
      expect(await verifyTurnstile('s', 'tok', null, fetchImpl)).toEqual({ ok: false, reason: 'rejected', errorCodes: ['timeout-or-duplicate'] });
      const odd = stub(() => Response.json({ success: 'true' }));
      expect((await verifyTurnstile('s', 'tok', null, odd.fetchImpl)).ok).toBe(false);
    });

    it('says "unavailable" (retry) when siteverify cannot be reached or fails on its side', async () => {
      for (const reply of [
        () => Promise.reject(new TypeError('network down')),
        () => new Response('oops', { status: 502 }),
        () => new Response('not json', { status: 200 }),
        () => Response.json({ success: false, 'error-codes': ['internal-error'] }),
      ]) {
        expect(await verifyTurnstile('s', 'tok', null, stub(reply).fetchImpl)).toMatchObject({ ok: false, reason: 'unavailable' });
      }
    });
  });
});

describe('secure headers', () => {
  it('sends nosniff, a no-content CSP and a referrer policy on answers and errors alike', async () => {
    for (const res of [await call('/v1/efforts/expand-sanctuary'), await postJson(sign('evansville'), {}), await call('/v1/nope')]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    }
  });
});

describe('embedding rules per effort', () => {
  it('normalises origins as browsers send them', () => {
    expect(normaliseOrigin('HTTPS://Partner.Example/')).toBe('https://partner.example');
    expect(normaliseOrigin('http://localhost:8787/path?q')).toBe('http://localhost:8787');
    expect(normaliseOrigin('https://a.example:443')).toBe('https://a.example');
    expect(normaliseOrigin('null')).toBeNull();
    expect(normaliseOrigin('javascript:alert(1)')).toBeNull();
    expect(normaliseOrigin('file:///etc/passwd')).toBeNull();
  });

  it('any site may embed an effort by default; a restricted one answers other sites 403 forbidden_origin with CORS', async () => {
    const id = await effortId();
    expect((await call('/v1/efforts/expand-sanctuary', { headers: { origin: 'https://anyone.example' } })).status).toBe(200);
    await setEffortOrigins(env.DB, id, ['https://Allowed.Example/']);
    // Reads take the list from the read facts, at most READ_FACTS_MAX_AGE_MS old: wait that out.
    await waitOutReadFacts();
    try {
      const from = (origin: string) => ({ headers: { origin } });
      for (const path of ['/v1/efforts/expand-sanctuary', '/v1/efforts/expand-sanctuary/lookup?q=60076', '/v1/campaigns/lubbock']) {
        const res = await call(path, from('https://evil.example'));
        expect(res.status, path).toBe(403);
        expect(res.headers.get('access-control-allow-origin')).toBe('https://evil.example');
        expect((await json(res)).error.code).toBe('forbidden_origin');
        expect((await call(path, from('https://allowed.example'))).status, path).toBe(200);
        // A sandboxed frame or a file sends "null": not a listed site.
        expect((await call(path, from('null'))).status, path).toBe(403);
      }
      const before = await campaign('lubbock');
      const s = signer();
      const res = await postJson(sign('lubbock'), s, { origin: 'https://evil.example' });
      expect(res.status).toBe(403);
      expect(await rowsFor(s.email)).toBe(0);
      expect(await campaign('lubbock')).toEqual(before);
      expect((await postJson(sign('lubbock'), signer(), { origin: 'https://allowed.example' })).status).toBe(201);
      // Without an Origin header (a server, or a same-origin GET) the rule does not apply.
      const server = await worker.fetch(new Request(`${BASE}/v1/efforts/expand-sanctuary`), env, createExecutionContext());
      expect(server.status).toBe(200);
    } finally {
      expect(await setEffortOrigins(env.DB, id, [])).toEqual([]);
    }
    await waitOutReadFacts();
    expect((await call('/v1/efforts/expand-sanctuary', { headers: { origin: 'https://evil.example' } })).status).toBe(200);
  }, 20_000);

  it('refuses to store something that is not an origin', async () => {
    await expect(setEffortOrigins(env.DB, await effortId(), ['not a url'])).rejects.toThrow(/Not an http\(s\) origin/);
  });
});

describe('partner credit', () => {
  const stored = async (email: string) =>
    env.DB.prepare('SELECT partner, consent_partner FROM signatures WHERE email = ?1').bind(email).first<{ partner: string | null; consent_partner: number }>();

  it('credits a partner only from its own sites; otherwise the signature counts with partner NULL', async () => {
    expect(await upsertPartner(env.DB, { code: 'north-shore-ijc', name: 'North Shore IJC', origins: ['https://nsijc.example', 'https://www.nsijc.example'] }))
      .toEqual({ code: 'north-shore-ijc', name: 'North Shore IJC', origins: ['https://nsijc.example', 'https://www.nsijc.example'] });
    expect((await getPartner(env.DB, 'north-shore-ijc'))!.origins).toHaveLength(2);
    const cases: [Record<string, string>, string, string | null][] = [
      [{ origin: 'https://www.nsijc.example' }, 'north-shore-ijc', 'north-shore-ijc'],
      [{ origin: 'https://other-group.example' }, 'north-shore-ijc', null],
      [{ origin: 'https://nsijc.example' }, 'unknown-partner', null],
    ];
    for (const [headers, partner, credited] of cases) {
      const before = await campaign('santa-maria');
      const s = signer({ partner, consentPartner: true, zip: '93454' });
      const res = await postJson(sign('santa-maria'), s, headers);
      expect(res.status).toBe(201);
      expect(await stored(s.email)).toEqual({ partner: credited, consent_partner: credited ? 1 : 0 });
      expect((await campaign('santa-maria')).signature_count).toBe(before.signature_count + 1);
    }
    // No Origin at all (a server-side caller): accepted, not credited.
    const s = signer({ partner: 'north-shore-ijc', zip: '93454' });
    const res = await worker.fetch(new Request(`${BASE}${sign('santa-maria')}`, post(s)), env, createExecutionContext());
    expect(res.status).toBe(201);
    expect((await stored(s.email))!.partner).toBeNull();
  });

  it('updates a partner in place, replacing its sites', async () => {
    await upsertPartner(env.DB, { code: 'p2', name: 'Old', origins: ['https://old.example'] });
    await upsertPartner(env.DB, { code: 'p2', name: 'New', origins: ['https://new.example'] });
    expect(await getPartner(env.DB, 'p2')).toEqual({ code: 'p2', name: 'New', origins: ['https://new.example'] });
    expect(await getPartner(env.DB, 'nobody')).toBeNull();
  });
});
