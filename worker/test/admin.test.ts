import { env } from 'cloudflare:test';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { upsertPartner } from '../src/db/origins.ts';
import { admin, adminJson } from './admin-helpers.ts';
import { BASE, PARTNER_ORIGIN, call, json, postJson, signer } from './helpers.ts';

// A partner is credited only from its own sites: register the test partner for the test origin.
beforeAll(async () => {
  await upsertPartner(env.DB, { code: 'chicago-rising', name: 'Chicago Rising', origins: [PARTNER_ORIGIN] });
});

const EFFORT = 'expand-sanctuary';
const creator = { firstName: 'Denise', lastName: 'Lopez', email: 'denise@example.org' };

async function startCampaign(place: string, name = 'Ana Ruiz') {
  const res = await postJson(`/v1/efforts/${EFFORT}/campaigns`, { target: { name, title: 'Mayor' }, place, creator, elapsedMs: 5000 });
  expect(res.status).toBe(201);
  return (await json(res)).data as { slug: string; status: string };
}

/** Listed campaigns near Ithaca, NY (ZIP 14850). */
const nearIthaca = async () =>
  ((await json(await call(`/v1/efforts/${EFFORT}/lookup?q=14850&limit=50`))).data.nearby as { slug: string }[]).map((c) => c.slug);

describe('the organizer token', () => {
  const routes: [string, string][] = [
    ['GET', '/efforts'],
    ['POST', '/efforts'],
    ['GET', `/efforts/${EFFORT}`],
    ['PATCH', `/efforts/${EFFORT}`],
    ['GET', `/efforts/${EFFORT}/targets`],
    ['POST', `/efforts/${EFFORT}/targets`],
    ['GET', `/efforts/${EFFORT}/campaigns`],
    ['POST', `/efforts/${EFFORT}/campaigns`],
    ['GET', `/efforts/${EFFORT}/totals`],
    ['GET', `/efforts/${EFFORT}/signatures.csv`],
    ['GET', '/campaigns/skokie'],
    ['PATCH', '/campaigns/skokie'],
    ['POST', '/campaigns/skokie/approve'],
    ['POST', '/campaigns/skokie/suppress'],
    ['GET', '/campaigns/skokie/signatures.csv'],
    ['POST', `/efforts/${EFFORT}/export-link`],
    ['POST', '/campaigns/skokie/export-link'],
    ['GET', '/no-such-route'],
  ];
  const good = () => env.ADMIN_TOKEN!;
  const badHeaders: [string, () => Record<string, string>][] = [
    ['no token', () => ({})],
    ['a wrong token', () => ({ authorization: 'Bearer wrong-token-wrong-token-wrong' })],
    ['the token with one more character', () => ({ authorization: `Bearer ${good()}x` })],
    ['the token with its last character changed', () => ({ authorization: `Bearer ${good().slice(0, -1)}${good().endsWith('A') ? 'B' : 'A'}` })],
    ['the token in another case', () => ({ authorization: `Bearer ${good().toUpperCase()}` })],
    ['a prefix of the token', () => ({ authorization: `Bearer ${good().slice(0, -1)}` })],
    ['the token without "Bearer"', () => ({ authorization: good() })],
    ['the token as Basic auth', () => ({ authorization: `Basic ${btoa(`admin:${good()}`)}` })],
    ['an empty bearer', () => ({ authorization: 'Bearer ' })],
  ];

  it.each(badHeaders)('answers %s with 401 on every admin route, changing nothing', async (_, headers) => {
    const before = await env.DB.prepare('SELECT count(*) AS n, group_concat(status) AS s FROM campaigns').first();
    for (const [method, path] of routes) {
      const res = await call(`/v1/admin${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers() },
        body: method === 'GET' ? undefined : '{}',
      });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await json(res)).error.code).toBe('unauthorized');
    }
    expect(await env.DB.prepare('SELECT count(*) AS n, group_concat(status) AS s FROM campaigns').first()).toEqual(before);
  });

  it('lets the right token through, and answers unknown admin paths 404 behind it', async () => {
    const res = await admin('/efforts');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect((await admin('/no-such-route')).status).toBe(404);
  });

  it('grants no other site the Authorization header: the organizer API is same-origin only', async () => {
    const res = await call('/v1/admin/efforts', {
      method: 'OPTIONS',
      headers: { 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase() ?? '').not.toContain('authorization');
  });

  it('refuses everything when ADMIN_TOKEN is unset', async () => {
    const { default: worker } = await import('../src/index.ts');
    const { createExecutionContext } = await import('cloudflare:test');
    const res = await worker.fetch(
      new Request(`${BASE}/v1/admin/efforts`, { headers: { authorization: 'Bearer ' } }),
      { ...env, ADMIN_TOKEN: undefined },
      createExecutionContext(),
    );
    expect(res.status).toBe(401);
  });
});

describe('efforts', () => {
  it('creates an effort with defaults, refuses a taken slug, edits its settings', async () => {
    const res = await adminJson('/efforts', 'POST', { slug: 'defend-our-towns', title: 'Defend Our Towns', body: 'Line 1\nLine 2', goal: 5000 });
    expect(res.status).toBe(201);
    const { data } = await json(res);
    expect(data).toMatchObject({
      slug: 'defend-our-towns',
      body: 'Line 1\nLine 2',
      goal: 5000,
      defaultGoal: 100,
      moderation: 'post',
      distanceLimitKm: 150,
      signatureCount: 0,
      campaignCount: 0,
    });
    expect(data.titleTemplate).toContain('{town}');
    const again = await adminJson('/efforts', 'POST', { slug: 'defend-our-towns', title: 'X', body: 'Y', goal: 1 });
    expect(again.status).toBe(400);
    expect((await json(again)).error.issues[0].path).toBe('slug');

    const patched = await adminJson('/efforts/defend-our-towns', 'PATCH', {
      moderation: 'pre',
      distanceLimitKm: 80,
      titleTemplate: 'Tell {targetTitle} {targetName}: protect {town}',
      defaultGoal: 50,
    });
    expect(patched.status).toBe(200);
    expect((await json(patched)).data).toMatchObject({ moderation: 'pre', distanceLimitKm: 80, defaultGoal: 50, title: 'Defend Our Towns' });
    expect((await json(await call('/v1/efforts/defend-our-towns'))).data.title).toBe('Defend Our Towns');
  });

  it.each([
    [{ slug: 'Bad Slug', title: 'T', body: 'B', goal: 1 }, 'slug'],
    [{ slug: 'ok', title: '', body: 'B', goal: 1 }, 'title'],
    [{ slug: 'ok', title: 'T', body: 'B', goal: 0 }, 'goal'],
    [{ slug: 'ok', title: 'T', body: 'B', goal: 1, moderation: 'never' }, 'moderation'],
    [{ slug: 'ok', title: 'T', body: 'B', goal: 1, distanceLimitKm: -1 }, 'distanceLimitKm'],
  ])('rejects an invalid effort %j naming %s', async (body, field) => {
    const res = await adminJson('/efforts', 'POST', body);
    expect(res.status).toBe(400);
    expect((await json(res)).error.issues.map((i: { path: string }) => i.path)).toContain(field);
  });

  it('answers 404 for an unknown effort and 400 for an empty patch', async () => {
    expect((await admin('/efforts/nope')).status).toBe(404);
    expect((await adminJson(`/efforts/${EFFORT}`, 'PATCH', {})).status).toBe(400);
  });
});

describe('targets from CSV', () => {
  const upload = (csv: string, type = 'text/csv') => admin(`/efforts/${EFFORT}/targets`, { method: 'POST', headers: { 'content-type': type }, body: csv });

  it('adds new targets and updates known ones (same jurisdiction, state and title)', async () => {
    const csv = '\uFEFFName,Title,Jurisdiction,State,Lat,Lon\r\n' +
      '"Lynn, Denise",Mayor,Evansville,IN,37.9716,-87.5711\r\n' +
      'Carolin Harvey,Mayor,Carbondale,il,37.7273,-89.2168\r\n' +
      '"José ""Pepe"" Ortiz",County Executive,Cook County,IL,41.8,-87.7\r\n';
    const res = await upload(csv);
    expect(res.status).toBe(200);
    expect((await json(res)).data).toMatchObject({ created: 2, updated: 1 });
    const list = (await json(await admin(`/efforts/${EFFORT}/targets?limit=1000`))).data as { name: string; state: string; jurisdiction: string }[];
    expect(list.find((t) => t.jurisdiction === 'Evansville')!.name).toBe('Lynn, Denise');
    expect(list.find((t) => t.jurisdiction === 'Carbondale')!.state).toBe('IL');
    expect(list.find((t) => t.jurisdiction === 'Cook County')!.name).toBe('José "Pepe" Ortiz');
  });

  it('takes a file larger than the public 16 kB limit', async () => {
    const lines = Array.from({ length: 600 }, (_, i) => `Official ${i},Mayor,Town ${i},TX,${30 + i / 1000},-97`);
    const csv = `name,title,jurisdiction,state,lat,lon\n${lines.join('\n')}\n`;
    expect(csv.length).toBeGreaterThan(16 * 1024);
    const res = await upload(csv);
    expect(res.status).toBe(200);
    expect((await json(res)).data.created).toBe(600);
  });

  it('rejects the whole file when a row is bad, naming the line and column', async () => {
    const count = async () => (await env.DB.prepare('SELECT count(*) AS n FROM targets').first<{ n: number }>())!.n;
    const before = await count();
    const res = await upload('name,title,jurisdiction,state,lat,lon\nA B,Mayor,Town,TX,30,-97\nC D,Mayor,Town2,Texas,95,-97\n');
    expect(res.status).toBe(400);
    const paths = (await json(res)).error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['line 3.state', 'line 3.lat']));
    expect(await count()).toBe(before);
    expect((await upload('name,title\n"unclosed,Mayor\n')).status).toBe(400);
    expect((await upload('{"name":"x"}', 'application/json')).status).toBe(415);
  });
});

describe('moderation', () => {
  it('queues an unlisted campaign with its creator’s email; approval lists it in lookups', async () => {
    const before = (await json(await call(`/v1/efforts/${EFFORT}`))).data.campaignCount;
    const { slug } = await startCampaign('14850', 'Svante Myrick');
    expect(slug).toMatch(/^ithaca-ny-[a-z0-9]{4}$/);
    expect(await nearIthaca()).not.toContain(slug);

    const queue = (await json(await admin(`/efforts/${EFFORT}/campaigns`))).data as { slug: string; status: string; creatorEmail: string }[];
    expect(queue.find((c) => c.slug === slug)).toMatchObject({ status: 'unlisted', creatorEmail: 'denise@example.org' });
    expect(queue.every((c) => c.status === 'unlisted' || c.status === 'pending')).toBe(true);

    const approved = await admin(`/campaigns/${slug}/approve`, { method: 'POST' });
    expect(approved.status).toBe(200);
    expect((await json(approved)).data.status).toBe('live');
    expect(await nearIthaca()).toContain(slug);
    expect((await json(await call(`/v1/efforts/${EFFORT}`))).data.campaignCount).toBe(before + 1);
    const after = (await json(await admin(`/efforts/${EFFORT}/campaigns`))).data as { slug: string }[];
    expect(after.map((c) => c.slug)).not.toContain(slug);
  });

  it('suppressed campaigns are unreachable: not by link, not signable, not in lookups', async () => {
    const before = (await json(await call(`/v1/efforts/${EFFORT}`))).data.campaignCount;
    // Signed once first: this isolate now remembers the campaign's id (the sign path's only cache).
    expect((await postJson('/v1/campaigns/ithaca/signatures', signer())).status).toBe(201);
    const count = async () => (await env.DB.prepare("SELECT signature_count AS n FROM campaigns WHERE slug = 'ithaca'").first<{ n: number }>())!.n;
    const signed = await count();
    const res = await admin('/campaigns/ithaca/suppress', { method: 'POST' });
    expect((await json(res)).data.status).toBe('suppressed');
    expect((await call('/v1/campaigns/ithaca')).status).toBe(404);
    // Refused at once, with or without a key, and nothing is stored or counted.
    expect((await postJson('/v1/campaigns/ithaca/signatures', signer())).status).toBe(404);
    const keyed = await postJson('/v1/campaigns/ithaca/signatures', signer(), { 'idempotency-key': crypto.randomUUID() });
    expect(keyed.status).toBe(404);
    expect(await count()).toBe(signed);
    expect(await nearIthaca()).not.toContain('ithaca');
    expect((await json(await call(`/v1/efforts/${EFFORT}`))).data.campaignCount).toBe(before - 1);
    // Organizers still see it, and can bring it back.
    expect((await json(await admin('/campaigns/ithaca'))).data.status).toBe('suppressed');
    await admin('/campaigns/ithaca/approve', { method: 'POST' });
    expect((await call('/v1/campaigns/ithaca')).status).toBe(200);
  });

  it('under pre-moderation a campaign is unreachable until approved, then live', async () => {
    await adminJson(`/efforts/${EFFORT}`, 'PATCH', { moderation: 'pre' });
    try {
      const { slug, status } = await startCampaign('93454', 'Alice Patino');
      expect(status).toBe('pending');
      expect((await call(`/v1/campaigns/${slug}`)).status).toBe(404);
      const queue = (await json(await admin(`/efforts/${EFFORT}/campaigns?status=pending`))).data as { slug: string }[];
      expect(queue.map((c) => c.slug)).toContain(slug);
      await admin(`/campaigns/${slug}/approve`, { method: 'POST' });
      expect((await call(`/v1/campaigns/${slug}`)).status).toBe(200);
    } finally {
      await adminJson(`/efforts/${EFFORT}`, 'PATCH', { moderation: 'post' });
    }
  });

  it('edits a campaign’s copy as plain text and its goal', async () => {
    const { slug } = await startCampaign('60076', 'Ana Ruiz');
    const res = await adminJson(`/campaigns/${slug}`, 'PATCH', { title: 'A better title', body: 'First\r\nSecond <i>x</i>', goal: 300 });
    expect(res.status).toBe(200);
    const { data } = await json(await call(`/v1/campaigns/${slug}`));
    expect(data).toMatchObject({ title: 'A better title', body: 'First\nSecond <i>x</i>', goal: 300 });
    const bad = await adminJson(`/campaigns/${slug}`, 'PATCH', { status: 'deleted' });
    expect(bad.status).toBe(400);
    expect((await adminJson('/campaigns/nope', 'PATCH', { goal: 10 })).status).toBe(404);
  });

  it('an organizer’s own campaign is live at once, with no creator', async () => {
    const res = await adminJson(`/efforts/${EFFORT}/campaigns`, 'POST', { target: { name: 'Kim Lee', title: 'Mayor' }, place: '02143', slug: 'somerville-kim' });
    expect(res.status).toBe(201);
    expect((await json(res)).data).toMatchObject({ slug: 'somerville-kim', status: 'live', creatorName: null });
    const again = await adminJson(`/efforts/${EFFORT}/campaigns`, 'POST', { target: { name: 'Kim Lee', title: 'Mayor' }, place: '02143', slug: 'somerville-kim' });
    expect(again.status).toBe(400);
  });
});

describe('totals', () => {
  it('counts signatures by campaign and by partner', async () => {
    const before = (await json(await admin(`/efforts/${EFFORT}/totals`))).data;
    const partnerCount = (t: { byPartner: { partner: string; signatureCount: number }[] }, p: string) =>
      t.byPartner.find((x) => x.partner === p)?.signatureCount ?? 0;
    await postJson('/v1/campaigns/skokie/signatures', signer({ partner: 'chicago-rising' }));
    await postJson('/v1/campaigns/mellen/signatures', signer({ partner: 'chicago-rising' }));
    await postJson('/v1/campaigns/skokie/signatures', signer());
    const dup = signer({ partner: 'chicago-rising' });
    await postJson('/v1/campaigns/skokie/signatures', dup);
    await postJson('/v1/campaigns/skokie/signatures', dup);
    const after = (await json(await admin(`/efforts/${EFFORT}/totals`))).data;
    expect(partnerCount(after, 'chicago-rising')).toBe(partnerCount(before, 'chicago-rising') + 3);
    expect(partnerCount(after, '')).toBe(partnerCount(before, '') + 1);
    const skokie = (t: { byCampaign: { slug: string; signatureCount: number }[] }) => t.byCampaign.find((c) => c.slug === 'skokie')!.signatureCount;
    expect(skokie(after)).toBe(skokie(before) + 3);
    expect(after.effort.signatureCount).toBe(before.effort.signatureCount + 4);
    expect(after.byStatus.live).toBeGreaterThan(0);
    const counts = after.byCampaign.map((c: { signatureCount: number }) => c.signatureCount);
    expect(counts).toEqual([...counts].sort((a: number, b: number) => b - a));
  });
});

describe('CSV export', () => {
  const nasty = [
    ['=HYPERLINK("http://evil.example","click")', 'Lopez, Jr.'],
    ['+1', 'O"Brien'],
    ['-2+3', 'Multi\nLine'],
    ['@SUM(A1)', 'Ñúñez 🌵 李'],
    ['\tTab', '\rReturn'],
  ];

  async function insertRaw(campaign: string) {
    const c = await env.DB.prepare('SELECT id FROM campaigns WHERE slug = ?1').bind(campaign).first<{ id: number }>();
    // Rows as an older import could have left them: the API itself refuses such names.
    await env.DB.batch(
      nasty.map(([first, last], i) =>
        env.DB.prepare(
          `INSERT INTO signatures (campaign_id, first_name, last_name, email, email_hash, zip, partner, consent_partner, consent_effort, confirmed_at)
           VALUES (?1, ?2, ?3, ?4, ?5, '60076', ?6, 1, 0, '2026-11-02T10:00:00.000Z')`,
        ).bind(c!.id, first, last, `raw${i}@example.org`, `raw-hash-${campaign}-${i}`, i % 2 ? '=partner' : null),
      ),
    );
  }

  it('streams an attachment whose cells are quoted right and never start a formula', async () => {
    await insertRaw('laredo');
    const res = await admin('/campaigns/laredo/signatures.csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="signatures-laredo-\d{4}-\d\d-\d\d\.csv"$/);
    const text = await res.text();
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(nasty.length);
    for (const [i, [first, last]] of nasty.entries()) {
      const row = rows[i]!;
      expect(row.first_name).toBe(`'${first}`);
      expect(row.last_name).toBe(/^[=+\-@\t\r]/.test(last!) ? `'${last}` : last);
      expect(row.email).toBe(`raw${i}@example.org`);
      expect(row.campaign).toBe('laredo');
      expect(row.partner).toBe(i % 2 ? "'=partner" : '');
      expect(row.consent_partner).toBe('yes');
      expect(row.consent_effort).toBe('no');
      expect(row).toMatchObject({ confirmed: 'yes', confirmed_at: '2026-11-02T10:00:00.000Z', held_reason: '' });
    }
    // No line of the file starts a formula in any cell.
    for (const row of parse(text) as string[][]) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('exports a whole effort, resumable after a signature id', async () => {
    const s = signer({ firstName: 'Zoë', partner: 'chicago-rising', consentEffort: true });
    await postJson('/v1/campaigns/skokie/signatures', s);
    const all = parse(await (await admin(`/efforts/${EFFORT}/signatures.csv`)).text(), { columns: true }) as Record<string, string>[];
    const mine = all.find((r) => r.email === s.email.toLowerCase())!;
    // A consent takes effect once the signer has confirmed their email.
    expect(mine).toMatchObject({ first_name: 'Zoë', last_name: 'Lopez', zip: '60076', campaign: 'skokie', partner: 'chicago-rising',
      consent_effort: 'no', confirmed: 'no', confirmed_at: '' });
    await env.DB.prepare("UPDATE signatures SET confirmed_at = '2026-11-03T10:00:00.000Z' WHERE email = ?1").bind(s.email.toLowerCase()).run();
    const after = parse(await (await admin(`/efforts/${EFFORT}/signatures.csv`)).text(), { columns: true }) as Record<string, string>[];
    expect(after.find((r) => r.email === s.email.toLowerCase())).toMatchObject({ consent_effort: 'yes', confirmed: 'yes', confirmed_at: '2026-11-03T10:00:00.000Z' });
    expect(mine.signed_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    const total = (await env.DB.prepare('SELECT count(*) AS n FROM signatures').first<{ n: number }>())!.n;
    expect(all).toHaveLength(total);
    const ids = all.map((r) => Number(r.signature_id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const rest = parse(await (await admin(`/efforts/${EFFORT}/signatures.csv?after=${ids[1]}`)).text(), { columns: true });
    expect(rest).toHaveLength(total - 2);
    expect((await admin('/efforts/nope/signatures.csv')).status).toBe(404);
  });
});
