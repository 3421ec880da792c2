/**
 * The attacks of issue 15 on a partner's page, each failing: a shared unreviewed campaign, a squatted
 * town slug, a flood of campaigns, lookups flushed by unreviewed campaigns, a hidden "start one" prompt,
 * a start page that leads to a look-alike site, and a partner's credit failing unseen.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { setEffortOrigins, upsertPartner } from '../src/db/origins.ts';
import { BASE, PARTNER_ORIGIN, call, json, postJson } from './helpers.ts';

const EFFORT = 'expand-sanctuary';
const START = `/v1/efforts/${EFFORT}/campaigns`;
const creator = { firstName: 'Mallory', lastName: 'Evil', email: 'mallory@example.org' };
const effortRow = async () =>
  (await env.DB.prepare('SELECT id, lookup_gen FROM efforts WHERE slug = ?1').bind(EFFORT).first<{ id: number; lookup_gen: number }>())!;

async function target(jurisdiction: string, lat = 41.8781, lon = -87.6298) {
  const { id } = await effortRow();
  return (await env.DB.prepare(
    `INSERT INTO targets (effort_id, name, title, jurisdiction, state, lat, lon) VALUES (?1, 'Brandon Johnson', 'Mayor', ?2, 'IL', ?3, ?4) RETURNING id`,
  )
    .bind(id, jurisdiction, lat, lon)
    .first<{ id: number }>())!.id;
}

beforeAll(async () => {
  await upsertPartner(env.DB, { code: 'westside', name: 'Westside Allies', origins: [PARTNER_ORIGIN] });
});

describe('a supporter-made campaign on a partner page', () => {
  it('never takes the bare town slug, which stays free for the organizers', async () => {
    const targetId = await target('Chicago');
    const res = await postJson(START, { targetId, creator, elapsedMs: 5000 });
    expect(res.status).toBe(201);
    const { data } = await json(res);
    expect(data.slug).toMatch(/^chicago-il-[a-z0-9]{4}$/);
    expect(await env.DB.prepare("SELECT 1 FROM campaigns WHERE slug IN ('chicago', 'chicago-il')").first()).toBeNull();
    // The organizers' own campaign for the town then gets the bare slug a `campaign="chicago"` embed expects.
    const admin = await postJson(
      `/v1/admin/efforts/${EFFORT}/campaigns`,
      { targetId },
      { authorization: `Bearer ${env.ADMIN_TOKEN}` },
    );
    expect(admin.status).toBe(201);
    expect((await json(admin)).data.slug).toBe('chicago');
  });

  it('is answered with its effort and "unlisted" (awaiting review), so a widget can refuse or mark it', async () => {
    const targetId = await target('Peoria', 40.6936, -89.589);
    const { data: created } = await json(await postJson(START, { targetId, creator, elapsedMs: 5000 }));
    const { data } = await json(await call(`/v1/campaigns/${created.slug}`));
    expect(data.status).toBe('unlisted');
    expect(data.effort.slug).toBe(EFFORT);
    // A reviewed one says live.
    expect((await json(await call('/v1/campaigns/skokie'))).data.status).toBe('live');
  });

  it('neither bumps the lookup generation nor hides the official’s "start one" prompt until approved', async () => {
    const targetId = await target('Rockford', 42.2711, -89.094);
    const before = (await effortRow()).lookup_gen;
    const awaiting = async () =>
      ((await json(await call(`/v1/efforts/${EFFORT}/lookup?lat=42.2711&lon=-89.094`))).data.awaiting as { id: number }[]).map((t) => t.id);
    expect(await awaiting()).toContain(targetId);
    const { data } = await json(await postJson(START, { targetId, creator, elapsedMs: 5000 }));
    expect((await effortRow()).lookup_gen).toBe(before);
    expect(await awaiting()).toContain(targetId);
    // An organizer's approval is what changes the lookup.
    const ok = await call(`/v1/admin/campaigns/${data.slug}/approve`, { method: 'POST', headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } });
    expect(ok.status).toBe(200);
    expect((await effortRow()).lookup_gen).toBeGreaterThan(before);
    expect(await awaiting()).not.toContain(targetId);
  });

  it('needs elapsedMs (400 naming it)', async () => {
    const targetId = await target('Joliet', 41.525, -88.0817);
    const res = await postJson(START, { targetId, creator });
    expect(res.status).toBe(400);
    expect((await json(res)).error.issues.map((i: { path: string }) => i.path)).toContain('elapsedMs');
  });

  it('stops at the effort’s hourly limit with 429, whoever sends them; organizers are not limited', async () => {
    const { id } = await effortRow();
    const made = (await env.DB.prepare(
      "SELECT count(*) AS n FROM campaigns WHERE effort_id = ?1 AND creator_email IS NOT NULL AND created_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 hour')",
    )
      .bind(id)
      .first<{ n: number }>())!.n;
    await env.DB.prepare('UPDATE efforts SET new_campaigns_per_hour = ?2 WHERE id = ?1').bind(id, made + 2).run();
    try {
      const body = (name: string) => ({ target: { name, title: 'Mayor' }, place: '60076', creator, elapsedMs: 5000 });
      expect((await postJson(START, body('One'))).status).toBe(201);
      expect((await postJson(START, body('Two'), { origin: 'https://other-partner.example' })).status).toBe(201);
      const third = await postJson(START, body('Three'));
      expect(third.status).toBe(429);
      expect((await json(third)).error.code).toBe('rate_limited');
      expect(third.headers.get('retry-after')).toBe('600');
      const organizer = await postJson(
        `/v1/admin/efforts/${EFFORT}/campaigns`,
        { target: { name: 'Four', title: 'Mayor' }, place: '60076' },
        { authorization: `Bearer ${env.ADMIN_TOKEN}` },
      );
      expect(organizer.status).toBe(201);
    } finally {
      await env.DB.prepare('UPDATE efforts SET new_campaigns_per_hour = 30 WHERE id = ?1').bind(id).run();
    }
  });
});

describe('the start page’s return link', () => {
  const draft = async (site: string, extra = '') =>
    (await json(await call(`${START}/draft?place=60076&targetName=X&targetTitle=Mayor&site=${encodeURIComponent(site)}${extra}`))).data
      .siteAllowed;

  it('leads only to a site registered for the effort or the partner, or to this Worker', async () => {
    const { id } = await effortRow();
    expect(await draft('https://evil.example')).toBe(false);
    expect(await draft('javascript:alert(1)')).toBe(false);
    // The partner's own site, for that partner only.
    expect(await draft(PARTNER_ORIGIN, '&partner=westside')).toBe(true);
    expect(await draft(PARTNER_ORIGIN, '&partner=someone-else')).toBe(false);
    expect(await draft(BASE)).toBe(true);
    // Without ?site= the answer says nothing about it.
    expect((await json(await call(`${START}/draft?place=60076&targetName=X&targetTitle=Mayor`))).data).not.toHaveProperty('siteAllowed');
    await setEffortOrigins(env.DB, id, ['https://effort-site.example', PARTNER_ORIGIN]);
    try {
      expect(await draft('https://effort-site.example')).toBe(true);
    } finally {
      await setEffortOrigins(env.DB, id, []);
    }
  });
});

describe('partner credit as the page sees it (?partner=)', () => {
  it('names a registered partner by its display name on its own site', async () => {
    const { data } = await json(await call(`/v1/efforts/${EFFORT}?partner=westside`));
    expect(data.partner).toEqual({ code: 'westside', registered: true, name: 'Westside Allies' });
    const lookup = await json(await call(`/v1/efforts/${EFFORT}/lookup?q=60076&partner=westside`));
    expect(lookup.data.partner.registered).toBe(true);
    const campaign = await json(await call('/v1/campaigns/skokie?partner=westside'));
    expect(campaign.data.partner).toEqual({ code: 'westside', registered: true, name: 'Westside Allies' });
  });

  it('says what to fix for an unknown code or another site, and records the attempt for organizers', async () => {
    const unknown = (await json(await call(`/v1/efforts/${EFFORT}?partner=westside-allies`))).data.partner;
    expect(unknown).toEqual({ code: 'westside-allies', registered: false, name: null, reason: 'unknown_partner' });
    const elsewhere = (await json(await call('/v1/campaigns/skokie?partner=westside', { headers: { origin: 'https://copycat.example' } }))).data
      .partner;
    expect(elsewhere).toEqual({ code: 'westside', registered: false, name: null, reason: 'site_not_registered' });
    const { id } = await effortRow();
    const rows = (await env.DB.prepare('SELECT code, origin, attempts FROM partner_attempts WHERE effort_id = ?1 ORDER BY code').bind(id).all()).results;
    expect(rows).toEqual([
      { code: 'westside', origin: 'https://copycat.example', attempts: 1 },
      { code: 'westside-allies', origin: PARTNER_ORIGIN, attempts: 1 },
    ]);
    // Organizers see them (behind the token).
    const seen = await json(await call(`/v1/admin/efforts/${EFFORT}/partner-attempts`, { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } }));
    expect(seen.data.map((r: { code: string }) => r.code).sort()).toEqual(['westside', 'westside-allies']);
  });

  it('refuses a malformed code with 400, and answers without `partner` when none is asked', async () => {
    expect((await call(`/v1/efforts/${EFFORT}?partner=${encodeURIComponent('<b>')}`)).status).toBe(400);
    expect((await json(await call(`/v1/efforts/${EFFORT}`))).data.partner).toBeUndefined();
  });
});
