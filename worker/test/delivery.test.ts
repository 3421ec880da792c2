/**
 * The petition's delivery to its official, inside workerd: the PDF (read back with pdf-lib), its
 * language, paging and signers; the preview; the email through the EMAIL binding and its public record.
 */
import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { BASE, call, json, postJson, signer } from './helpers.ts';
import { pdfText } from './pdf-text.ts';

const ADMIN = { authorization: `Bearer ${env.ADMIN_TOKEN}` };
const admin = (path: string, init: RequestInit = {}) => call(path, { ...init, headers: { ...ADMIN, ...init.headers } });

describe('delivery PDF', () => {
  it('opens, and holds the title, the official, the counts and every signer with ZIP and date, paged', async () => {
    const names: string[] = [];
    for (let i = 0; i < 70; i++) {
      const s = signer({ firstName: `Ana${'abcdefghij'[i % 10]}`, lastName: `Núñez ${'klmnopqrst'[Math.floor(i / 10)]}` });
      names.push(`${s.firstName} ${s.lastName}`);
      expect((await postJson('/v1/campaigns/somerville/signatures', s)).status).toBe(201);
    }
    const res = await admin('/v1/admin/campaigns/somerville/delivery.pdf?signers=all');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const { doc, pages } = await pdfText(new Uint8Array(await res.arrayBuffer()));
    const campaign = (await json<{ data: { title: string; target: { name: string; title: string }; signatureCount: number } }>(await call('/v1/campaigns/somerville'))).data;
    expect(doc.getTitle()).toBe(campaign.title);
    expect(pages.length).toBeGreaterThan(1);
    const all = pages.join('');
    expect(all).toContain(`To: ${campaign.target.title} ${campaign.target.name}`);
    expect(all).toContain(`${campaign.signatureCount} signatures in all`);
    for (const name of names) expect(all).toContain(name);
    expect(all).toContain('60076');
    expect(pages.at(-1)).toContain(`Page ${pages.length} of ${pages.length}`);
  });

  it('speaks Spanish when asked, and refuses bad options in the envelope', async () => {
    const res = await admin('/v1/admin/campaigns/somerville/delivery.pdf?signers=all&lang=es');
    const { pages } = await pdfText(new Uint8Array(await res.arrayBuffer()));
    expect(pages[0]).toContain('La petición');
    expect(pages[0]).toContain('Para:');
    const bad = await admin('/v1/admin/campaigns/somerville/delivery.pdf?signers=some');
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.issues[0].path).toBe('signers');
    expect((await admin('/v1/admin/campaigns/nowhere/delivery.pdf')).status).toBe(404);
    expect((await call('/v1/admin/campaigns/somerville/delivery.pdf')).status).toBe(401);
  });
});

describe('emailing it to the official', () => {
  it('previews, sends the PDF through EMAIL, records it, and shows "delivered" on the public campaign (no address)', async () => {
    const preview = await json(await admin('/v1/admin/campaigns/somerville/delivery?signers=all'));
    expect(preview.data.email.subject).toMatch(/^Petition: /);
    expect(preview.data.deliveries).toEqual([]);
    const before = await json(await call('/v1/campaigns/somerville'));
    expect(before.data.delivered).toBeNull();

    const res = await admin('/v1/admin/campaigns/somerville/delivery', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: 'mayor@somerville.example', signers: 'all' }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const sent = await json(res);
    expect(sent.data.official).toBe(preview.data.official);
    const publicView = await json(await call('/v1/campaigns/somerville'));
    expect(publicView.data.delivered).toEqual({ official: preview.data.official, deliveredAt: sent.data.deliveredAt });
    expect(JSON.stringify(publicView)).not.toContain('mayor@somerville.example');
    expect(sent.data.messageId).toBeTruthy(); // answered by the EMAIL binding (miniflare's, locally)
    const again = await json(await admin('/v1/admin/campaigns/somerville/delivery?signers=all'));
    expect(again.data.deliveries).toEqual([expect.objectContaining({ official: preview.data.official, to: 'mayor@somerville.example' })]);
    const bad = await admin('/v1/admin/campaigns/somerville/delivery', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"to":"nope"}' });
    expect(bad.status).toBe(400);
    void BASE;
  });
});
