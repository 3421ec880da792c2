/**
 * A supporter's privacy request: an organizer finds a person by email across an effort, exports what
 * we hold, and erases it (their signatures, their name on campaigns they started), every count corrected.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { upsertPartner } from '../src/db/origins.ts';
import { admin, adminJson } from './admin-helpers.ts';
import { call, json, postJson, signer } from './helpers.ts';

const EFFORT = 'expand-sanctuary';
const counts = async () => ({
  effort: (await env.DB.prepare('SELECT signature_count FROM efforts WHERE slug = ?1').bind(EFFORT).first<{ signature_count: number }>())!.signature_count,
  skokie: (await env.DB.prepare("SELECT signature_count FROM campaigns WHERE slug = 'skokie'").first<{ signature_count: number }>())!.signature_count,
  partner: (await env.DB.prepare("SELECT coalesce(sum(signature_count), 0) AS n FROM partner_totals WHERE partner = 'privacy-partner'").first<{ n: number }>())!.n,
});

describe('privacy request', () => {
  it('finds a person’s signatures and campaigns, erases them across the effort, and corrects the counts', async () => {
    await upsertPartner(env.DB, { code: 'privacy-partner', name: 'Privacy Partner', origins: ['https://partner.example'] });
    const email = `Rosa.${crypto.randomUUID().slice(0, 6)}@Example.org`;
    const before = await counts();
    const rosa = signer({ firstName: 'Rosa', lastName: 'Parks', email, partner: 'privacy-partner', consentPartner: true });
    expect((await postJson('/v1/campaigns/skokie/signatures', rosa)).status).toBe(201);
    expect((await postJson('/v1/campaigns/ithaca/signatures', { ...rosa, email: email.toLowerCase() })).status).toBe(201);
    // Someone else, who must stay.
    const other = signer({ firstName: 'Other' });
    expect((await postJson('/v1/campaigns/skokie/signatures', other)).status).toBe(201);
    // A campaign Rosa started, which another person signs.
    const started = await postJson(`/v1/efforts/${EFFORT}/campaigns`, {
      target: { name: 'Pat Doe', title: 'Mayor' },
      place: '60076',
      creator: { firstName: 'Rosa', lastName: 'Parks', email },
      elapsedMs: 5000,
    });
    const slug = (await json(started)).data.slug as string;
    expect((await postJson(`/v1/campaigns/${slug}/signatures`, signer({ firstName: 'Third' }))).status).toBe(201);
    const mid = await counts();
    expect(mid).toEqual({ effort: before.effort + 4, skokie: before.skokie + 2, partner: before.partner + 2 });

    const found = (await json(await adminJson(`/efforts/${EFFORT}/privacy/find`, 'POST', { email: ` ${email.toUpperCase()} ` }))).data;
    expect(found.signatures.map((s: { campaign: string }) => s.campaign).sort()).toEqual(['ithaca', 'skokie']);
    expect(found.signatures[0]).toMatchObject({ firstName: 'Rosa', lastName: 'Parks', email: email.toLowerCase(), partner: 'privacy-partner' });
    expect(found.campaigns).toEqual([expect.objectContaining({ slug, creatorName: 'Rosa P.', creatorEmail: email.toLowerCase() })]);

    const erase = await adminJson(`/efforts/${EFFORT}/privacy/erase`, 'POST', { email });
    expect(erase.status).toBe(200);
    expect((await json(erase)).data.erased).toEqual({ signatures: 2, campaigns: 1 });
    expect(await counts()).toEqual({ effort: mid.effort - 2, skokie: mid.skokie - 1, partner: before.partner });
    // Nothing of hers is left; the campaign she started stays, with its other signer, without her name.
    const after = (await json(await adminJson(`/efforts/${EFFORT}/privacy/find`, 'POST', { email }))).data;
    expect(after).toMatchObject({ signatures: [], campaigns: [] });
    const page = (await json(await call(`/v1/campaigns/${slug}`))).data;
    expect(page).toMatchObject({ creatorName: null, signatureCount: 1 });
    expect(JSON.stringify((await json(await call('/v1/campaigns/skokie'))).data)).not.toContain('Rosa P');
    // The audit log has the erasure, but not the email.
    const log = (await json(await admin('/audit?limit=5'))).data as { action: string; detail: unknown }[];
    const entry = log.find((e) => e.action === 'POST /efforts/:slug/privacy/erase')!;
    expect(entry.detail).toEqual({ fields: ['email'] });
    expect(JSON.stringify(log)).not.toMatch(/rosa/i);
  });

  it('refuses a malformed email with 400, and an unknown effort with 404', async () => {
    expect((await adminJson(`/efforts/${EFFORT}/privacy/find`, 'POST', { email: 'nope' })).status).toBe(400);
    expect((await adminJson('/efforts/nope/privacy/erase', 'POST', { email: 'a@example.org' })).status).toBe(404);
    expect((await adminJson(`/efforts/${EFFORT}/privacy/erase`, 'POST', { email: 'a@example.org' }, )).status).toBe(200);
  });
});
