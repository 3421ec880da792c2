import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { BASE, call, json, postJson, signer } from './helpers.ts';

const START = '/v1/efforts/expand-sanctuary/campaigns';
const creator = { firstName: 'Denise', lastName: 'lópez', email: 'Denise.Lopez@Example.org' };

/** The seeded target "Denise Lynn, Mayor of Evansville, IN" has a campaign; add one that has none. */
async function freeTarget(jurisdiction = 'Carbondale', state = 'IL') {
  const effort = await env.DB.prepare("SELECT id FROM efforts WHERE slug = 'expand-sanctuary'").first<{ id: number }>();
  const row = await env.DB.prepare(
    `INSERT INTO targets (effort_id, name, title, jurisdiction, state, lat, lon) VALUES (?1, 'Carolin Harvey', 'Mayor', ?2, ?3, 37.7273, -89.2168)
     ON CONFLICT (effort_id, jurisdiction, state, title) DO UPDATE SET name = excluded.name RETURNING id`,
  )
    .bind(effort!.id, jurisdiction, state)
    .first<{ id: number }>();
  return row!.id;
}

/** Slugs of the listed campaigns nearest a point (Carbondale, IL by default). */
const lookupSlugs = async (lat = 37.7273, lon = -89.2168) =>
  ((await json(await call(`/v1/efforts/expand-sanctuary/lookup?lat=${lat}&lon=${lon}&limit=50`))).data.nearby as { slug: string }[]).map(
    (c) => c.slug,
  );

describe('GET /v1/efforts/:slug/campaigns/draft', () => {
  it('prefills the title and text from the effort templates for one of its targets', async () => {
    const targetId = await freeTarget();
    const res = await call(`${START}/draft?targetId=${targetId}`);
    expect(res.status).toBe(200);
    const { data } = await json(res);
    expect(data).toMatchObject({
      town: 'Carbondale',
      state: 'IL',
      target: { id: targetId, name: 'Carolin Harvey', title: 'Mayor' },
      title: 'Tell Mayor Carolin Harvey to Defy Trump, Defend Carbondale, & Expand Sanctuary',
      goal: 100,
      status: 'unlisted',
    });
    expect(data.body).toMatch(/^Donald Trump just announced/);
  });

  it('prefills for a new target named by the supporter, in a town from the lookup', async () => {
    const res = await call(`${START}/draft?targetName=Ana%20Ruiz&targetTitle=County%20Executive&place=60076`);
    const { data } = await json(res);
    expect(data).toMatchObject({ town: 'Skokie', state: 'IL', target: { id: null, name: 'Ana Ruiz' } });
    expect(data.title).toBe('Tell County Executive Ana Ruiz to Defy Trump, Defend Skokie, & Expand Sanctuary');
  });

  it('asks for a target, and for a place with a new target', async () => {
    const none = await call(`${START}/draft`);
    expect(none.status).toBe(400);
    expect((await json(none)).error.issues[0].path).toBe('targetId');
    const noPlace = await call(`${START}/draft?targetName=Ana&targetTitle=Mayor`);
    expect((await json(noPlace)).error.issues.map((i: { path: string }) => i.path)).toContain('place');
  });
});

describe('POST /v1/efforts/:slug/campaigns', () => {
  it('starts an unlisted campaign: reachable by link, "Created by Denise L.", absent from lookups', async () => {
    const targetId = await freeTarget();
    const before = (await json(await call('/v1/efforts/expand-sanctuary'))).data;
    const res = await postJson(START, { targetId, creator, elapsedMs: 5000 });
    expect(res.status).toBe(201);
    const { data } = await json(res);
    const slug = data.slug as string;
    expect(slug).toMatch(/^carbondale-il-[a-z0-9]{4}$/);
    expect(data).toMatchObject({
      status: 'unlisted',
      town: 'Carbondale',
      creatorName: 'Denise L.',
      goal: 100,
      signatureCount: 0,
      title: 'Tell Mayor Carolin Harvey to Defy Trump, Defend Carbondale, & Expand Sanctuary',
      effort: { slug: 'expand-sanctuary' },
    });
    expect(res.headers.get('location')).toBe(`/v1/campaigns/${slug}`);
    // No email anywhere in public answers.
    expect(JSON.stringify(data)).not.toMatch(/example\.org|lópez/i);
    const page = await call(`/v1/campaigns/${slug}`);
    expect(page.status).toBe(200);
    expect(await page.clone().text()).not.toMatch(/example\.org/i);
    expect((await json(page)).data).toMatchObject({ creatorName: 'Denise L.', status: 'unlisted', effort: { slug: 'expand-sanctuary' } });
    expect(await lookupSlugs()).not.toContain(slug);
    // Not counted among the effort's (listed) local campaigns until approved.
    expect((await json(await call('/v1/efforts/expand-sanctuary'))).data.campaignCount).toBe(before.campaignCount);
    const row = await env.DB.prepare("SELECT creator_email, creator_name, target_id FROM campaigns WHERE slug = ?1").bind(slug).first();
    expect(row).toEqual({ creator_email: 'denise.lopez@example.org', creator_name: 'Denise L.', target_id: targetId });
    // The creator can sign it first.
    expect((await postJson(`/v1/campaigns/${slug}/signatures`, signer({ firstName: 'Denise' }))).status).toBe(201);
  });

  it('keeps the supporter’s edits: title, plain text with line breaks, goal, and a new target', async () => {
    const body = 'Line one <b>not bold</b>\r\n\r\n\r\n\r\nLine two https://example.org/x\u202E\u0000';
    const res = await postJson(START, {
      target: { name: 'Ana Ruiz', title: 'County Executive' },
      place: 'Skokie, IL',
      title: '  Tell   Ana Ruiz\nto act  ',
      body,
      goal: 250,
      creator: { firstName: 'Luis', lastName: 'Ñandú', email: 'luis@example.org' },
      elapsedMs: 5000,
    });
    expect(res.status).toBe(201);
    const { data } = await json(res);
    // A supporter's campaign never takes the bare town (reserved for organizers): town, state, suffix.
    expect(data.slug).toMatch(/^skokie-il-[a-z0-9]{4}$/);
    expect(data.title).toBe('Tell Ana Ruiz to act');
    expect(data.body).toBe('Line one <b>not bold</b>\n\nLine two https://example.org/x');
    expect(data.goal).toBe(250);
    expect(data.creatorName).toBe('Luis Ñ.');
    expect(data.target).toEqual({ name: 'Ana Ruiz', title: 'County Executive' });
  });

  it('gives each campaign in the same town its own slug', async () => {
    const slugs = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const res = await postJson(START, { target: { name: `Official ${i}`, title: 'Mayor' }, place: '60076', creator, elapsedMs: 5000 });
      expect(res.status).toBe(201);
      slugs.add((await json(res)).data.slug);
    }
    expect(slugs.size).toBe(4);
    for (const s of slugs) expect(s).toMatch(/^skokie-il-[a-z0-9]{4}$/);
  });

  it('under pre-moderation, the new campaign is unreachable until approved', async () => {
    await env.DB.prepare("UPDATE efforts SET moderation = 'pre' WHERE slug = 'expand-sanctuary'").run();
    try {
      const res = await postJson(START, { target: { name: 'Pat Doe', title: 'Mayor' }, place: '14850', creator, elapsedMs: 5000 });
      const { data } = await json(res);
      expect(data.status).toBe('pending');
      expect((await call(`/v1/campaigns/${data.slug}`)).status).toBe(404);
      expect((await postJson(`/v1/campaigns/${data.slug}/signatures`, signer())).status).toBe(404);
    } finally {
      await env.DB.prepare("UPDATE efforts SET moderation = 'post' WHERE slug = 'expand-sanctuary'").run();
    }
  });

  it.each([
    ['targetId', { targetId: undefined }],
    ['targetId', { target: { name: 'X Y', title: 'Mayor' }, place: '60076' }],
    ['targetId', { targetId: 99999 }],
    ['place', { targetId: undefined, target: { name: 'X Y', title: 'Mayor' } }],
    ['place', { targetId: undefined, target: { name: 'X Y', title: 'Mayor' }, place: 'Atlantis, ZZ' }],
    ['creator.firstName', { creator: { ...creator, firstName: '=cmd' } }],
    ['creator.email', { creator: { ...creator, email: 'nope' } }],
    ['creator', { creator: undefined }],
    ['title', { title: '   ' }],
    ['body', { body: 'x'.repeat(5001) }],
    ['goal', { goal: 0 }],
    ['extra', { extra: true }],
  ])('rejects a bad %s with 400 and creates nothing', async (field, over) => {
    const targetId = await freeTarget('Urbana', 'IL');
    const count = async () => (await env.DB.prepare('SELECT count(*) AS n FROM campaigns').first<{ n: number }>())!.n;
    const before = await count();
    const res = await postJson(START, { targetId, creator, elapsedMs: 5000, ...over });
    expect(res.status).toBe(400);
    const body = await json(res);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.issues.map((i: { path: string }) => i.path)).toContain(field);
    expect(await count()).toBe(before);
  });

  it('answers 404 for an unknown effort, 415 for a non-JSON body', async () => {
    expect((await postJson('/v1/efforts/nope/campaigns', { targetId: 1, creator, elapsedMs: 5000 })).status).toBe(404);
    const plain = await call(START, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(plain.status).toBe(415);
  });
});

describe('POST /v1/efforts/:slug/campaigns: never twice, never for bots, only from allowed sites', () => {
  const countCampaigns = async (town: string) =>
    (await env.DB.prepare('SELECT count(*) AS n FROM campaigns WHERE town = ?1').bind(town).first<{ n: number }>())!.n;
  const body = (name: string, extra: Record<string, unknown> = {}) => ({ target: { name, title: 'Mayor' }, place: '60076', creator, elapsedMs: 5000, ...extra });

  it('a retry under the same Idempotency-Key gets the first answer and creates nothing more', async () => {
    const before = await countCampaigns('Skokie');
    const key = crypto.randomUUID();
    const first = await postJson(START, body('Keith Wilson'), { 'idempotency-key': key });
    expect(first.status).toBe(201);
    const created = (await json(first)).data;
    const again = await postJson(START, body('Keith Wilson'), { 'idempotency-key': key });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await json(again)).data).toEqual(created);
    expect(await countCampaigns('Skokie')).toBe(before + 1);
    // The abuse signals are not part of the request's identity: a retry may measure another elapsedMs.
    const retried = await postJson(START, body('Keith Wilson', { elapsedMs: 9000 }), { 'idempotency-key': key });
    expect((await json(retried)).data.slug).toBe(created.slug);
  });

  it('the same key with another body is a 422, and stores nothing', async () => {
    const key = crypto.randomUUID();
    expect((await postJson(START, body('Ana One'), { 'idempotency-key': key })).status).toBe(201);
    const before = await countCampaigns('Skokie');
    const res = await postJson(START, body('Ana Two'), { 'idempotency-key': key });
    expect(res.status).toBe(422);
    expect((await json(res)).error.code).toBe('idempotency_mismatch');
    expect(await countCampaigns('Skokie')).toBe(before);
  });

  it('ten parallel double-submits under one key create exactly one campaign, all answered alike', async () => {
    const before = await countCampaigns('Skokie');
    const key = crypto.randomUUID();
    const answers = await Promise.all(Array.from({ length: 10 }, () => postJson(START, body('Parallel Mayor'), { 'idempotency-key': key })));
    const statuses = answers.map((r) => r.status);
    // A twin still waiting after ~2 s is told 409 (retry with the same key); none may create another.
    for (const s of statuses) expect([201, 409]).toContain(s);
    const slugs = new Set(await Promise.all(answers.filter((r) => r.status === 201).map(async (r) => (await json(r)).data.slug)));
    expect(slugs.size).toBe(1);
    expect(await countCampaigns('Skokie')).toBe(before + 1);
  });

  it('a bad key is a 400 in the envelope', async () => {
    const res = await postJson(START, body('Key Test'), { 'idempotency-key': 'short' });
    expect(res.status).toBe(400);
    expect((await json(res)).error.issues[0].path).toBe('idempotency-key');
  });

  it('a filled honeypot or a form sent too fast is answered 201 like a person, stored and held (pending) until confirmed', async () => {
    const before = await countCampaigns('Skokie');
    for (const [extra, reason] of [[{ website: 'http://spam.example' }, 'honeypot'], [{ elapsedMs: 20 }, 'too_fast']] as const) {
      const res = await postJson(START, body('Bot Mayor', extra));
      expect(res.status).toBe(201);
      const { data } = await json(res);
      expect(data).toMatchObject({ town: 'Skokie', state: 'IL', status: 'unlisted', creatorName: 'Denise L.' });
      expect((await call(`/v1/campaigns/${data.slug}`)).status).toBe(404);
      const row = await env.DB.prepare('SELECT status, held_reason FROM campaigns WHERE slug = ?1').bind(data.slug).first();
      expect(row).toEqual({ status: 'pending', held_reason: reason });
    }
    expect(await countCampaigns('Skokie')).toBe(before + 2);
    // A person who took their time is stored.
    expect((await postJson(START, body('Human Mayor', { elapsedMs: 45_000 }))).status).toBe(201);
    expect(await countCampaigns('Skokie')).toBe(before + 3);
  });

  it('an effort restricted to some sites refuses campaigns started from others (403 forbidden_origin)', async () => {
    const { setEffortOrigins } = await import('../src/db/origins.ts');
    const effort = await env.DB.prepare("SELECT id FROM efforts WHERE slug = 'expand-sanctuary'").first<{ id: number }>();
    await setEffortOrigins(env.DB, effort!.id, ['https://allowed.example']);
    try {
      const before = await countCampaigns('Skokie');
      const refused = await postJson(START, body('Origin Mayor'), { origin: 'https://elsewhere.example' });
      expect(refused.status).toBe(403);
      expect((await json(refused)).error.code).toBe('forbidden_origin');
      expect(await countCampaigns('Skokie')).toBe(before);
      expect((await postJson(START, body('Origin Mayor'), { origin: 'https://allowed.example' })).status).toBe(201);
      // The Worker's own start page (same origin) is not a partner site: always allowed.
      expect((await postJson(START, body('Own Page Mayor'), { origin: BASE })).status).toBe(201);
    } finally {
      await setEffortOrigins(env.DB, effort!.id, []);
    }
  });
});
