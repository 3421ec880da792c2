import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { json, postJson, signer } from './helpers.ts';

const SIGN = '/v1/campaigns/skokie/signatures';
const CODE = /^[A-Za-z0-9_-]{12}$/;
const row = (email: string) =>
  env.DB.prepare('SELECT referral_code, referred_by, partner FROM signatures WHERE email = ?1')
    .bind(email)
    .first<{ referral_code: string | null; referred_by: string | null; partner: string | null }>();

describe('referrals on POST /v1/campaigns/:slug/signatures', () => {
  it('gives each new signer a random referral code and stores it on the row', async () => {
    const s = signer();
    const res = await postJson(SIGN, s);
    expect(res.status).toBe(201);
    const { data } = await json(res);
    expect(data.referralCode).toMatch(CODE);
    expect((await row(s.email))?.referral_code).toBe(data.referralCode);
  });

  it('records the code a signer arrived through, and the chain continues through re-shares', async () => {
    const a = signer();
    const codeA = (await json(await postJson(SIGN, a))).data.referralCode;
    const b = signer({ referral: codeA, partner: 'north-shore-ijc' });
    const codeB = (await json(await postJson(SIGN, b))).data.referralCode;
    const c = signer({ referral: codeB });
    await postJson(SIGN, c);
    expect(await row(b.email)).toEqual({ referral_code: codeB, referred_by: codeA, partner: null }); // partner.example is not one of north-shore-ijc's sites: no credit
    expect((await row(c.email))?.referred_by).toBe(codeB);
    const brought = await env.DB.prepare('SELECT count(*) AS n FROM signatures WHERE referred_by = ?1').bind(codeA).first<{ n: number }>();
    expect(brought?.n).toBe(1);
  });

  it('does not derive the code from the email: the same address gets unrelated codes on two campaigns', async () => {
    const s = signer();
    const one = (await json(await postJson(SIGN, s))).data.referralCode;
    const two = (await json(await postJson('/v1/campaigns/evansville/signatures', s))).data.referralCode;
    expect(one).toMatch(CODE);
    expect(two).toMatch(CODE);
    expect(one).not.toBe(two);
    expect(one).not.toContain(s.email.slice(0, 4));
  });

  it('answers a repeat email with the same shape and a fresh code, and keeps the first row as it was', async () => {
    const s = signer();
    const first = await postJson(SIGN, s);
    const firstBody = await json(first);
    const again = await postJson(SIGN, { ...s, referral: 'someone-elses' });
    const againBody = await json(again);
    expect(again.status).toBe(first.status);
    expect(Object.keys(againBody.data).sort()).toEqual(Object.keys(firstBody.data).sort());
    expect(againBody.data.referralCode).toMatch(CODE);
    expect(againBody.data.referralCode).not.toBe(firstBody.data.referralCode);
    expect(await row(s.email)).toEqual({ referral_code: firstBody.data.referralCode, referred_by: null, partner: null });
  });

  it('replays the same referral code under the same Idempotency-Key', async () => {
    const s = signer();
    const key = crypto.randomUUID();
    const a = await json(await postJson(SIGN, s, { 'idempotency-key': key }));
    const b = await json(await postJson(SIGN, s, { 'idempotency-key': key }));
    expect(b).toEqual(a);
    expect(a.data.referralCode).toMatch(CODE);
    expect((await row(s.email))?.referral_code).toBe(a.data.referralCode);
  });

  it.each([['x'], ['has space!'], ['a'.repeat(33)], [42]])('rejects a malformed referral %s with 400', async (referral) => {
    const res = await postJson(SIGN, signer({ referral }));
    expect(res.status).toBe(400);
    expect((await json(res)).error.issues.map((i: { path: string }) => i.path)).toContain('referral');
  });
});
