/**
 * Property-based fuzzing of every public endpoint through the whole Worker (routing, middleware,
 * zod, D1): whatever arrives, the answer is never a 5xx, always the one envelope, never an echo of an
 * email that was sent. Then hostile but acceptable text goes in and out unchanged.
 */
import { env } from 'cloudflare:test';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import type { ErrorCode } from '../src/schemas.ts';
import { call, json, postJson, signer } from './helpers.ts';

const CODES: ErrorCode[] = [
  'validation_failed', 'not_found', 'place_not_found', 'idempotency_mismatch', 'payload_too_large',
  'unsupported_media_type', 'rate_limited', 'forbidden_origin', 'unauthorized', 'internal_error',
  'challenge_failed', 'challenge_unavailable',
];
const SLUGS = ['expand-sanctuary', 'skokie', 'mellen', 'laredo', 'ithaca', 'santa-maria'];

/** Strings attackers and unlucky users send. */
const HOSTILE = [
  '<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', "Robert'); DROP TABLE signatures;--", "' OR 1=1 --",
  '=HYPERLINK("http://x")', '+SUM(1)', '-2+3', '@cmd', '\u0000', '\uD800', '\uDFFF', '\u202Eevil', '\u200B', '\uFEFF',
  'Z\u0351\u0352\u0353\u0354\u0355\u0356', '👩🏽‍⚖️', '𝕬𝖓𝖆', 'ﷺ', '../../etc/passwd', '%00', '${7*7}', '{{7*7}}', 'null',
  'undefined', 'NaN', '1e309', '-0', ' ', '\t\n', 'a'.repeat(5000), 'ß'.repeat(300), '__proto__', 'constructor',
];
const hostile = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);
const anyJson = fc.jsonValue({ maxDepth: 3 });

/** Bodies: mostly signature-shaped (some fields valid, some hostile, some missing or extra), or anything. */
const signatureLike = fc.record(
  {
    firstName: fc.oneof(fc.constant('Ana'), hostile, anyJson),
    lastName: fc.oneof(fc.constant('Lopez'), hostile, anyJson),
    email: fc.oneof(fc.emailAddress(), hostile, anyJson),
    zip: fc.oneof(fc.constantFrom('60076', '60076-1234', '6007', '00000'), hostile, anyJson),
    phone: fc.oneof(fc.constantFrom('+1 312 555 0100', ''), hostile, anyJson),
    partner: fc.oneof(fc.constantFrom('north-shore-ijc', 'bad code'), hostile),
    consentPartner: fc.oneof(fc.boolean(), anyJson),
    consentEffort: fc.oneof(fc.boolean(), anyJson),
    website: fc.oneof(fc.constant(''), hostile),
    elapsedMs: fc.oneof(fc.nat(), fc.double(), anyJson),
    turnstileToken: hostile,
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(signatureLike, fc.dictionary(hostile, anyJson, { maxKeys: 2 })).map(([s, extra]) => JSON.stringify({ ...extra, ...s })) },
  { weight: 2, arbitrary: anyJson.map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: hostile },
  { weight: 1, arbitrary: fc.tuple(signatureLike, fc.nat()).map(([s, n]) => JSON.stringify(s).slice(0, n % 60)) },
);

/** encodeURIComponent, or the raw bytes of what it cannot encode (an unpaired surrogate). */
const encode = (s: string) => {
  try {
    return encodeURIComponent(s);
  } catch {
    return '%ED%A0%80';
  }
};

/** A path segment: a real slug, a plausible one, or anything (encoded so the URL stays a URL). */
const segment = fc.oneof(
  fc.constantFrom(...SLUGS),
  fc.stringMatching(/^[a-z0-9-]{1,90}$/),
  hostile.map(encode),
  fc.constantFrom('%', '%E0%A4%A', '..', '%2e%2e', '%2F', '.', ''),
);
const query = fc.oneof(
  fc.dictionary(fc.constantFrom('q', 'lat', 'lon', 'limit', 'evil', 'q[]'), fc.oneof(hostile, fc.double().map(String), fc.integer().map(String)), { maxKeys: 4 })
    .map((d) => new URLSearchParams(d).toString()),
  hostile.map(encode),
  fc.constantFrom('', 'q=60076', 'lat=42&lon=-87', 'q=60076&q=60077', 'lat=1e999&lon=0', '%'),
);
const path = fc.oneof(
  segment.map((s) => `/v1/efforts/${s}`),
  fc.tuple(segment, query).map(([s, q]) => `/v1/efforts/${s}/lookup?${q}`),
  segment.map((s) => `/v1/campaigns/${s}`),
  segment.map((s) => `/v1/campaigns/${s}/signatures`),
  fc.tuple(segment, segment).map(([a, b]) => `/v1/${a}/${b}`),
);
/** Header values a Request accepts (no CR/LF/NUL, Latin-1). */
const headerValue = (arb: fc.Arbitrary<string>) => arb.filter((v) => /^[\x20-\x7e\x80-\xff]*$/.test(v) && v.trim() === v);
const headers = fc.record(
  {
    'content-type': fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/vnd.api+json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', ''),
    'idempotency-key': headerValue(fc.oneof(fc.uuid(), fc.string({ unit: 'grapheme-ascii', maxLength: 140 }))),
    origin: headerValue(fc.oneof(fc.constantFrom('https://partner.example', 'null', 'http://localhost:8787', 'file://'), fc.webUrl(), fc.string({ unit: 'grapheme-ascii', maxLength: 30 }))),
    accept: fc.constantFrom('application/json', 'text/html', '*/*'),
  },
  { requiredKeys: [] },
);
const request = fc.record({
  method: fc.constantFrom('GET', 'GET', 'POST', 'POST', 'POST', 'OPTIONS', 'PUT', 'DELETE', 'PATCH'),
  path,
  headers,
  body,
});

/** Every answer: no 5xx; JSON in the envelope (a preflight: an empty 204); no email of the request echoed. */
async function checkAnswer(res: Response, method: string, sentBody: string) {
  expect(res.status).toBeLessThan(500);
  if (method === 'OPTIONS') {
    expect(res.status).toBe(204);
    return;
  }
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  const text = await res.text();
  const parsed = JSON.parse(text);
  if (res.ok) {
    expect(Object.keys(parsed)).toEqual(['data']);
  } else {
    expect(Object.keys(parsed)).toEqual(['error']);
    expect(CODES).toContain(parsed.error.code);
    expect(typeof parsed.error.message).toBe('string');
    if (parsed.error.issues !== undefined) {
      for (const issue of parsed.error.issues) expect(Object.keys(issue).sort()).toEqual(['message', 'path']);
    }
  }
  for (const email of sentBody.match(/[^\s"@\\]{1,64}@[^\s"@\\]+\.[a-z]{2,}/gi) ?? []) expect(text).not.toContain(email);
}

describe('fuzzing every public endpoint', () => {
  it('never answers 5xx, always the envelope, never echoes an email', async () => {
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        // "/v1/../x" is "/x" once the URL is parsed: a static asset, not the API.
        fc.pre(new URL(r.path, 'https://x.test').pathname.startsWith('/v1/'));
        const hasBody = r.method !== 'GET' && r.method !== 'OPTIONS';
        const res = await call(r.path, { method: r.method, headers: r.headers, ...(hasBody ? { body: r.body } : {}) });
        await checkAnswer(res, r.method, hasBody ? r.body : '');
      }),
      { numRuns: 200 },
    );
  }, 60_000);

  it('fuzzes signatures with only valid JSON headers, reaching deep into the handler', async () => {
    await fc.assert(
      fc.asyncProperty(signatureLike, fc.constantFrom(...SLUGS.slice(1)), fc.option(fc.uuid()), async (s, slug, key) => {
        const sent = JSON.stringify(s);
        const res = await postJson(`/v1/campaigns/${slug}/signatures`, sent, key ? { 'idempotency-key': key } : {});
        await checkAnswer(res, 'POST', sent);
        expect([201, 400]).toContain(res.status);
      }),
      { numRuns: 80 },
    );
  }, 60_000);

  it('leaves the counts consistent: each campaign = imported + its rows, the effort = the sum', async () => {
    const bad = await env.DB.prepare(
      `SELECT c.slug FROM campaigns c
        WHERE c.signature_count <> c.imported_count + (SELECT count(*) FROM signatures s WHERE s.campaign_id = c.id)`,
    ).all();
    expect(bad.results).toEqual([]);
    const totals = await env.DB.prepare(
      'SELECT e.signature_count AS effort, (SELECT sum(signature_count) FROM campaigns WHERE effort_id = e.id) AS campaigns FROM efforts e',
    ).first<{ effort: number; campaigns: number }>();
    expect(totals!.effort).toBe(totals!.campaigns);
  });
});

describe('hostile but acceptable text goes in and comes out unchanged', () => {
  it.each([
    ["Robert'); DROP TABLE signatures;--", 'Bobby'],
    ['Zoë 👩🏽‍⚖️', 'Ñandú'],
    ['محمد', 'عبدالله'],
    ['שרה', 'כהן'],
    ['Z\u0351\u0352\u0353', '\u00C5ngstr\u00F6m'],
    ['${7*7}', '{{7*7}}'],
    ['__proto__', 'constructor'],
  ])('%j %j', async (firstName, lastName) => {
    const s = signer({ firstName, lastName, zip: '14850' });
    const res = await postJson('/v1/campaigns/ithaca/signatures', s);
    expect(res.status).toBe(201);
    const row = await env.DB.prepare('SELECT first_name, last_name FROM signatures WHERE email = ?1').bind(s.email).first();
    expect(row).toEqual({ first_name: firstName, last_name: lastName });
    const initial = String.fromCodePoint(lastName.codePointAt(0)!).toLocaleUpperCase();
    // The campaign page is cached; a signature's purge starts within about a second (cache.ts).
    const data = await vi.waitFor(
      async () => {
        const { data } = await json(await call('/v1/campaigns/ithaca'));
        expect(data.recentSigners[0].name).toBe(`${firstName} ${initial}.`);
        return data;
      },
      { timeout: 5000, interval: 100 },
    );
    expect(JSON.stringify(data)).not.toContain(lastName.length > 1 ? lastName : '\u0000');
    expect(await env.DB.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'signatures'").first()).toEqual({ n: 1 });
  });
});
