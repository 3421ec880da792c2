import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { purgeCached } from '../src/cache.ts';
import { BASE, call, json, postJson, signer } from './helpers.ts';

describe('GET /v1/campaigns/:slug', () => {
  it('returns the campaign with its text, count, creator and effort', async () => {
    const res = await call('/v1/campaigns/skokie');
    expect(res.status).toBe(200);
    const { data } = await json(res);
    expect(data).toMatchObject({
      slug: 'skokie',
      town: 'Skokie',
      title: 'Tell Mayor of Skokie George Van Dusen to Defy Trump, Defend Skokie, & Expand Sanctuary',
      goal: 100,
      signatureCount: 1,
      creatorName: 'Michael D.',
      effort: { slug: 'expand-sanctuary' },
      recentSigners: [],
    });
    expect(data.body).toMatch(/^Calling all Skokie residents!/);
  });

  it('shows Lubbock and Laredo without a creator, as the seed page does', async () => {
    for (const slug of ['lubbock', 'laredo']) {
      const { data } = await json(await call(`/v1/campaigns/${slug}`));
      expect(data.creatorName).toBeNull();
    }
  });

  it('lists recent signers as "First L." only: no last name, email, ZIP or phone', async () => {
    const s = signer({ firstName: 'María', lastName: 'ñúñez Gómez', phone: '+1 312 555 0100' });
    expect((await postJson('/v1/campaigns/mellen/signatures', s)).status).toBe(201);
    const res = await call('/v1/campaigns/mellen');
    const text = await res.clone().text();
    const { data } = await json(res);
    expect(data.recentSigners[0].name).toBe('María Ñ.');
    for (const secret of [s.email, 'ñúñez', 'Gómez', s.zip, '555']) expect(text).not.toContain(secret);
  });

  it('answers unknown and suppressed campaigns with 404', async () => {
    expect((await call('/v1/campaigns/atlantis')).status).toBe(404);
    await env.DB.prepare("UPDATE campaigns SET status = 'suppressed' WHERE slug = 'lubbock'").run();
    // A change made beside the API purges the cached page, as moderation does (see src/cache.ts).
    await purgeCached(BASE, { campaign: 'lubbock', effort: 'expand-sanctuary' });
    const res = await call('/v1/campaigns/lubbock');
    expect(res.status).toBe(404);
    expect((await json(res)).error.code).toBe('not_found');
    await env.DB.prepare("UPDATE campaigns SET status = 'live' WHERE slug = 'lubbock'").run();
  });
});
