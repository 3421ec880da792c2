import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { recordSignature, type NewSignature } from '../src/db/signatures.ts';
import { json, postJson, signer } from './helpers.ts';

// Ithaca only in this file, so the counts below move for these tests alone.
const SIGN = '/v1/campaigns/ithaca/signatures';
const state = async () => ({
  rows: (await env.DB.prepare("SELECT count(*) AS n FROM signatures s JOIN campaigns c ON c.id = s.campaign_id WHERE c.slug = 'ithaca'").first<{ n: number }>())!.n,
  campaign: (await env.DB.prepare("SELECT signature_count AS n FROM campaigns WHERE slug = 'ithaca'").first<{ n: number }>())!.n,
  effort: (await env.DB.prepare("SELECT signature_count AS n FROM efforts WHERE slug = 'expand-sanctuary'").first<{ n: number }>())!.n,
});
const ithacaId = async () => (await env.DB.prepare("SELECT id FROM campaigns WHERE slug = 'ithaca'").first<{ id: number }>())!.id;
const row = (campaignId: number, i: number): NewSignature => ({
  campaignId,
  firstName: 'Ana',
  lastName: 'Lopez',
  email: `race.${i}@example.org`,
  emailHash: `race-hash-${crypto.randomUUID()}`,
  zip: '14850',
  phone: null,
  partner: null,
  consentPartner: false,
  consentEffort: false,
  referralCode: `ref${i}x${crypto.randomUUID().slice(0, 8)}`,
  referredBy: null,
  heldReason: null,
  lang: 'en' as const,
  baseUrl: 'https://t.example',
});

describe('idempotency against the real D1 engine', () => {
  it('db: racing writes under one key with different bodies store one row; the others see the winner', async () => {
    const campaignId = await ithacaId();
    const before = await state();
    const key = crypto.randomUUID();
    // Straight to the batch, all at once: no earlier read of the key can save us here.
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => recordSignature(env.DB, row(campaignId, i), { key, requestHash: `body-${i}`, status: 201 })),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(results.filter((r) => r.claimedKey)).toHaveLength(1);
    const winner = results.find((r) => r.claimedKey)!.stored!.request_hash;
    for (const r of results) expect(r.stored?.request_hash).toBe(winner);
    expect(await state()).toEqual({ rows: before.rows + 1, campaign: before.campaign + 1, effort: before.effort + 1 });
  });

  it('http: racing requests under one key with different bodies: one 201, the rest 422, one row', async () => {
    const before = await state();
    const key = crypto.randomUUID();
    const all = await Promise.all(Array.from({ length: 20 }, () => postJson(SIGN, signer({ zip: '14850' }), { 'idempotency-key': key })));
    const statuses = all.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 422)).toHaveLength(19);
    for (const r of all.filter((r) => r.status === 422)) expect((await json(r)).error.code).toBe('idempotency_mismatch');
    expect(await state()).toEqual({ rows: before.rows + 1, campaign: before.campaign + 1, effort: before.effort + 1 });
  }, 30_000);

  it('http: 100 parallel identical signatures under one key: one row, the count moves by one, one answer for all', async () => {
    const before = await state();
    const key = crypto.randomUUID();
    const s = signer({ zip: '14850' });
    const all = await Promise.all(Array.from({ length: 100 }, () => postJson(SIGN, s, { 'idempotency-key': key })));
    expect(all.map((r) => r.status)).toEqual(Array(100).fill(201));
    const bodies = await Promise.all(all.map((r) => r.text()));
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[0]!)).toEqual({ data: { campaign: 'ithaca', signatureCount: before.campaign + 1, goal: 100, referralCode: expect.any(String) } });
    expect(all.filter((r) => r.headers.get('idempotent-replayed') === null)).toHaveLength(1);
    expect(await state()).toEqual({ rows: before.rows + 1, campaign: before.campaign + 1, effort: before.effort + 1 });
  }, 30_000); // a generous timeout for a loaded machine, not a timing assertion

  it('a new key with an email that already signed looks like any first request (no "replayed" hint)', async () => {
    const s = signer({ zip: '14850' });
    const fresh = await postJson(SIGN, s, { 'idempotency-key': crypto.randomUUID() });
    const repeat = await postJson(SIGN, { ...s, firstName: 'Other' }, { 'idempotency-key': crypto.randomUUID() });
    expect(repeat.status).toBe(fresh.status);
    expect(repeat.headers.get('idempotent-replayed')).toBeNull();
    expect([...repeat.headers.keys()].sort()).toEqual([...fresh.headers.keys()].sort());
    expect(Object.keys((await json(repeat)).data)).toEqual(Object.keys((await json(fresh)).data));
  });

  it('a retry may carry a fresh Turnstile token or timing: same key, same signature, same answer', async () => {
    const s = signer({ zip: '14850' });
    const key = crypto.randomUUID();
    const first = await postJson(SIGN, { ...s, elapsedMs: 9000, turnstileToken: 'first' }, { 'idempotency-key': key });
    const retry = await postJson(SIGN, { ...s, elapsedMs: 12000, turnstileToken: 'second' }, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await retry.text()).toBe(await first.text());
  });

  it('stores under a key no plain hash of the signature (it is keyed with the secret)', async () => {
    const s = signer({ zip: '14850' });
    const key = crypto.randomUUID();
    await postJson(SIGN, s, { 'idempotency-key': key });
    const stored = await env.DB.prepare('SELECT request_hash, response FROM idempotency_keys WHERE key = ?1').bind(key).first<{ request_hash: string; response: string }>();
    expect(stored!.request_hash).toMatch(/^[0-9a-f]{64}$/);
    const plain = [...new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify(['ithaca', { ...s, consentPartner: false, consentEffort: false }]))))]
      .map((b) => b.toString(16).padStart(2, '0'))
      .join('');
    expect(stored!.request_hash).not.toBe(plain);
    expect(stored!.response).not.toContain(s.email);
    expect(stored!.response).not.toContain('Lopez');
  });
});
