import { createExecutionContext, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { upsertPartner } from '../src/db/origins.ts';
import worker from '../src/index.ts';
import { BASE, call, json, postJson, signer } from './helpers.ts';

const SIGN = '/v1/campaigns/skokie/signatures';
const counts = async () => {
  const c = await env.DB.prepare("SELECT signature_count AS n FROM campaigns WHERE slug = 'skokie'").first<{ n: number }>();
  const e = await env.DB.prepare("SELECT signature_count AS n FROM efforts WHERE slug = 'expand-sanctuary'").first<{ n: number }>();
  const rows = await env.DB.prepare("SELECT count(*) AS n FROM signatures").first<{ n: number }>();
  return { campaign: c!.n, effort: e!.n, rows: rows!.n };
};

describe('POST /v1/campaigns/:slug/signatures', () => {
  it('stores a new signature and moves the campaign and effort counts by one', async () => {
    // A partner is credited only from its own sites (see reliability.test.ts); this one is registered.
    await upsertPartner(env.DB, { code: 'chicago-rising', name: 'Chicago Rising', origins: ['https://partner.example'] });
    const before = await counts();
    const res = await postJson(SIGN, signer({ partner: 'chicago-rising', consentEffort: true }));
    expect(res.status).toBe(201);
    expect(await json(res)).toEqual({ data: { campaign: 'skokie', signatureCount: before.campaign + 1, goal: 100, referralCode: expect.any(String) } });
    expect(await counts()).toEqual({ campaign: before.campaign + 1, effort: before.effort + 1, rows: before.rows + 1 });
    const row = await env.DB.prepare('SELECT partner, consent_effort, consent_partner FROM signatures ORDER BY id DESC').first();
    expect(row).toEqual({ partner: 'chicago-rising', consent_effort: 1, consent_partner: 0 });
  });

  it('answers a repeat email (any case, spaces) exactly like a new one, and does not count it', async () => {
    const first = signer();
    const a = await postJson(SIGN, first);
    const before = await counts();
    const b = await postJson(SIGN, { ...first, email: `  ${first.email.toUpperCase()} `, firstName: 'Other' });
    expect(b.status).toBe(a.status);
    expect(Object.keys(await json(b))).toEqual(['data']);
    // The count before it, plus one: what a new signature is answered.
    expect((await json(await postJson(SIGN, first))).data).toEqual({ campaign: 'skokie', signatureCount: before.campaign + 1, goal: 100, referralCode: expect.any(String) });
    expect(await counts()).toEqual(before);
  });

  it('stores the email only normalised, and dedupes by a keyed hash, not the address', async () => {
    const s = signer({ email: 'Mixed.Case@Example.ORG' });
    await postJson(SIGN, s);
    const row = await env.DB.prepare('SELECT email, email_hash FROM signatures WHERE email = ?1').bind('mixed.case@example.org').first<{ email: string; email_hash: string }>();
    expect(row?.email_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.email_hash).not.toContain('example');
  });

  it('replays the same answer for the same Idempotency-Key, without a second row', async () => {
    const s = signer();
    const key = crypto.randomUUID();
    const first = await postJson(SIGN, s, { 'idempotency-key': key });
    const before = await counts();
    // Someone else signs in between: the replay still gives the first answer.
    await postJson(SIGN, signer());
    const again = await postJson(SIGN, s, { 'idempotency-key': key });
    expect(again.status).toBe(first.status);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await json(again)).toEqual(await json(first));
    expect((await counts()).rows).toBe(before.rows + 1);
  });

  it('answers 422 when an Idempotency-Key is reused for a different signature', async () => {
    const key = crypto.randomUUID();
    await postJson(SIGN, signer(), { 'idempotency-key': key });
    const res = await postJson(SIGN, signer(), { 'idempotency-key': key });
    expect(res.status).toBe(422);
    expect((await json(res)).error.code).toBe('idempotency_mismatch');
  });

  it('counts 100 parallel identical requests once', async () => {
    const before = await counts();
    const s = signer();
    const all = await Promise.all(Array.from({ length: 100 }, () => postJson(SIGN, s)));
    expect(all.every((r) => r.status === 201)).toBe(true);
    expect(await counts()).toEqual({ campaign: before.campaign + 1, effort: before.effort + 1, rows: before.rows + 1 });
  }, 30_000); // a generous timeout for a loaded machine, not a timing assertion

  it.each([
    ['firstName', { firstName: '' }],
    ['firstName', { firstName: '=HYPERLINK("http://x")' }],
    ['lastName', { lastName: '+cmd' }],
    ['lastName', { lastName: 'Visit https://spam.example' }],
    ['firstName', { firstName: '<script>alert(1)</script>' }],
    ['firstName', { firstName: 'x'.repeat(81) }],
    ['lastName', { lastName: undefined }],
    ['email', { email: 'not-an-email' }],
    ['email', { email: `${'a'.repeat(250)}@x.org` }],
    ['zip', { zip: '6007' }],
    ['zip', { zip: 60076 }],
    ['phone', { phone: 'call me' }],
    ['partner', { partner: 'bad partner!' }],
    ['consentEffort', { consentEffort: 'yes' }],
    ['extra', { extra: 1 }],
  ])('rejects a bad %s with 400 and counts nothing', async (field, over) => {
    const before = await counts();
    const res = await postJson(SIGN, signer(over));
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.issues.map((i: { path: string }) => i.path)).toContain(field);
    expect(await counts()).toEqual(before);
  });

  it('rejects a non-JSON body with 415 and malformed JSON with 400', async () => {
    const plain = await call(SIGN, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(plain.status).toBe(415);
    expect((await json(plain)).error.code).toBe('unsupported_media_type');
    const broken = await postJson(SIGN, '{"firstName": ');
    expect(broken.status).toBe(400);
    expect((await json(broken)).error.code).toBe('validation_failed');
  });

  it('rejects a body over 16 kB with 413', async () => {
    const res = await postJson(SIGN, signer({ firstName: 'a'.repeat(20_000) }));
    expect(res.status).toBe(413);
    expect((await json(res)).error.code).toBe('payload_too_large');
  });

  it('rejects a malformed Idempotency-Key', async () => {
    const res = await postJson(SIGN, signer(), { 'idempotency-key': 'short' });
    expect(res.status).toBe(400);
    expect((await json(res)).error.issues[0].path).toBe('idempotency-key');
  });

  it('answers 404 for an unknown campaign, and stores nothing', async () => {
    const before = await counts();
    const res = await postJson('/v1/campaigns/atlantis/signatures', signer());
    expect(res.status).toBe(404);
    expect(await counts()).toEqual(before);
  });
});

describe('CORS', () => {
  it('answers the preflight a partner page sends before a JSON POST', async () => {
    const res = await call(SIGN, {
      method: 'OPTIONS',
      headers: { 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,idempotency-key' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://partner.example');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('idempotency-key');
    expect(res.headers.get('access-control-max-age')).toBe('86400');
  });

  it('puts CORS headers on error responses too', async () => {
    const res = await postJson(SIGN, { firstName: '' });
    expect(res.status).toBe(400);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://partner.example');
  });

  it('gives no CORS grant to an origin outside a restricted ALLOWED_ORIGINS', async () => {
    const restricted = { ...env, ALLOWED_ORIGINS: 'https://allowed.example' };
    const ask = (origin: string) =>
      worker.fetch(new Request(`${BASE}/v1/efforts/expand-sanctuary`, { headers: { origin } }), restricted, createExecutionContext());
    expect((await ask('https://allowed.example')).headers.get('access-control-allow-origin')).toBe('https://allowed.example');
    expect((await ask('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('unknown routes', () => {
  it('answers an unknown /v1 path with 404 in the envelope', async () => {
    const res = await call('/v1/nothing-here');
    expect(res.status).toBe(404);
    expect((await json(res)).error.code).toBe('not_found');
  });
});
