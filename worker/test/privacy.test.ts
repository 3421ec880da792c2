import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import { redact } from '../src/errors.ts';
import { IDEMPOTENCY_KEY_DAYS, retentionDays, runRetention } from '../src/retention.ts';
import { BASE, call, json, postJson, signer } from './helpers.ts';

const SECRET_BITS = ['ana.private@example.org', 'Privado-Gómez', '3125550199', '312 555 0199'];
const person = (over: Record<string, unknown> = {}) =>
  signer({ firstName: 'Ana', lastName: 'Privado-Gómez', email: 'Ana.Private@Example.org', phone: '+1 (312) 555-0199', ...over });

describe('no personal data in any log line', () => {
  let lines: string[] = [];
  beforeEach(() => {
    lines = [];
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
    }
  });
  afterEach(() => vi.restoreAllMocks());

  it('signing, repeating, failing validation, bots and errors log nothing personal', async () => {
    await postJson('/v1/campaigns/laredo/signatures', person(), { 'idempotency-key': crypto.randomUUID() });
    await postJson('/v1/campaigns/laredo/signatures', person());
    await postJson('/v1/campaigns/laredo/signatures', person({ website: 'x' }));
    await postJson('/v1/campaigns/laredo/signatures', person({ elapsedMs: 1 }));
    await postJson('/v1/campaigns/laredo/signatures', person({ zip: 'nope', phone: 'call 312 555 0199 ana.private@example.org' }));
    await postJson('/v1/campaigns/laredo/signatures', `{"email": "ana.private@example.org", "lastName": "Privado-Gómez"`);
    // An internal failure whose message quotes personal data (as V8's JSON.parse messages do).
    const failing = {
      ...env,
      DB: {
        prepare() {
          throw new SyntaxError('Unexpected token, "ana.private@example.org Privado-Gómez" is not valid JSON; phone 312 555 0199');
        },
      } as unknown as D1Database,
    } satisfies Env;
    const res = await worker.fetch(
      new Request(`${BASE}/v1/campaigns/laredo/signatures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(person()) }),
      failing,
      createExecutionContext(),
    );
    expect(res.status).toBe(500);
    expect(await json(res)).toEqual({ error: { code: 'internal_error', message: 'Something went wrong on our side. Please try again.' } });
    expect(lines.some((l) => l.includes('unhandled error: SyntaxError'))).toBe(true);
    expect(lines.some((l) => l.includes('honeypot'))).toBe(true);
    for (const line of lines) for (const bit of SECRET_BITS) expect(line.toLowerCase()).not.toContain(bit.toLowerCase());
  });

  it('redact() masks quoted text, emails and long numbers', () => {
    expect(redact('bad "Gómez" and \'x\' for a.b@c.org or +1 (312) 555-0199, id 42')).toBe('bad "…" and "…" for [email] or [number], id 42');
  });
});

describe('no personal data in any public response', () => {
  it('validation errors never echo what was sent, not even an email used as a field name', async () => {
    const res = await postJson('/v1/campaigns/laredo/signatures', {
      ...person({ email: 'ana.private@example.org x', zip: '3125550199' }),
      'ana.private@example.org': 1,
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    for (const bit of SECRET_BITS) expect(text).not.toContain(bit);
    expect(JSON.parse(text).error.issues).toContainEqual({ path: '(unknown)', message: 'Unknown field.' });
  });

  it('an unknown place is not repeated back', async () => {
    const res = await call(`/v1/efforts/expand-sanctuary/lookup?q=${encodeURIComponent('ana.private@example.org')}`);
    expect([400, 404]).toContain(res.status); // unparseable (400) or unknown (404): either way not echoed
    expect(await res.text()).not.toContain('ana.private');
  });
});

describe('retention (the cron trigger)', () => {
  const DAY = 86_400_000;
  const NOW = Date.parse('2027-06-01T03:17:00.000Z');
  const iso = (daysAgo: number) => new Date(NOW - daysAgo * DAY).toISOString();

  /** Rows made `daysAgo` days before NOW, straight into D1 (the API cannot backdate). */
  async function seed(tag: string, daysAgo: number[]) {
    const id = (await env.DB.prepare("SELECT id FROM campaigns WHERE slug = 'laredo'").first<{ id: number }>())!.id;
    await env.DB.batch(
      daysAgo.map((d, i) =>
        env.DB.prepare(
          `INSERT INTO signatures (campaign_id, first_name, last_name, email, email_hash, zip, phone, created_at)
           VALUES (?1, 'Rosa', 'Quintanilla', ?2, ?3, '78040-1234', '+1 956 555 0101', ?4)`,
        ).bind(id, `${tag}.${i}@example.org`, `${tag}-hash-${i}`, iso(d)),
      ),
    );
  }
  const rows = (tag: string) =>
    env.DB.prepare('SELECT email, email_hash, first_name, last_name, zip, phone, anonymised_at IS NOT NULL AS done FROM signatures WHERE email_hash LIKE ?1 ORDER BY id')
      .bind(`${tag}-hash-%`)
      .all<{ email: string; email_hash: string; first_name: string; last_name: string; zip: string; phone: string | null; done: number }>()
      .then((r) => r.results);

  async function runCron(over: Partial<Env>) {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: NOW, cron: '17 3 * * *' }), { ...env, ...over }, ctx);
    await waitOnExecutionContext(ctx);
  }

  it('reads RETENTION_DAYS as whole days, anything else as 0 (keep)', () => {
    expect(retentionDays({ RETENTION_DAYS: '365' })).toBe(365);
    for (const v of [undefined, '', '0', '-3', '1.5', 'forever']) expect(retentionDays({ RETENTION_DAYS: v })).toBe(0);
  });

  it('keeps everything by default (RETENTION_DAYS = "0")', async () => {
    await seed('keep', [1000]);
    await runCron({});
    expect((await rows('keep'))[0]).toMatchObject({ email: 'keep.0@example.org', last_name: 'Quintanilla', done: 0 });
  });

  it('anonymises signatures older than RETENTION_DAYS and leaves newer ones, counts and dedupe intact', async () => {
    await seed('old', [400, 366, 10]);
    const count = async () => (await env.DB.prepare("SELECT signature_count AS n FROM campaigns WHERE slug = 'laredo'").first<{ n: number }>())!.n;
    const before = await count();
    await runCron({ RETENTION_DAYS: '365' });
    const [a, b, recent] = await rows('old');
    for (const r of [a, b]) {
      expect(r).toEqual({ email: '', email_hash: expect.stringMatching(/^old-hash-/), first_name: 'Rosa', last_name: 'Q', zip: '780', phone: null, done: 1 });
    }
    expect(recent).toMatchObject({ email: 'old.2@example.org', last_name: 'Quintanilla', zip: '78040-1234', done: 0 });
    expect(await count()).toBe(before);
    // Running again changes nothing more.
    await runCron({ RETENTION_DAYS: '365' });
    expect((await rows('old'))[2]!.done).toBe(0);
  });

  it('a person whose signature was anonymised is still not counted twice', async () => {
    const s = signer({ lastName: 'Again' });
    expect((await postJson('/v1/campaigns/laredo/signatures', s)).status).toBe(201);
    const { id } = (await env.DB.prepare('SELECT id FROM signatures WHERE email = ?1').bind(s.email).first<{ id: number }>())!;
    await env.DB.prepare("UPDATE signatures SET created_at = '2020-01-01T00:00:00.000Z' WHERE id = ?1").bind(id).run();
    await runCron({ RETENTION_DAYS: '30' });
    expect(await env.DB.prepare('SELECT email, last_name FROM signatures WHERE id = ?1').bind(id).first()).toEqual({ email: '', last_name: 'A' });
    const { data: before } = await json(await call('/v1/campaigns/laredo'));
    const again = await postJson('/v1/campaigns/laredo/signatures', s);
    expect(again.status).toBe(201);
    // Answered like anyone (the count before it, plus one), and not counted.
    expect((await json(again)).data.signatureCount).toBe(before.signatureCount + 1);
    expect((await json(await call('/v1/campaigns/laredo'))).data.signatureCount).toBe(before.signatureCount);
  });

  it('works in batches and says when it stopped with work left', async () => {
    await seed('batch', [900, 901, 902, 903, 904]);
    const first = await runRetention({ ...env, RETENTION_DAYS: '365' }, new Date(NOW), { batchSize: 2, maxBatches: 2 });
    expect(first).toMatchObject({ signaturesAnonymised: 4, more: true });
    const second = await runRetention({ ...env, RETENTION_DAYS: '365' }, new Date(NOW), { batchSize: 2, maxBatches: 2 });
    expect(second).toMatchObject({ signaturesAnonymised: 1, more: false });
    expect((await rows('batch')).every((r) => r.done === 1)).toBe(true);
  });

  it(`deletes idempotency keys after ${IDEMPOTENCY_KEY_DAYS} days, and forgets old creators' emails`, async () => {
    await env.DB.batch([
      env.DB.prepare("INSERT INTO idempotency_keys (key, request_hash, status, response, created_at) VALUES ('old-key-0001', 'h', 201, '{}', ?1)").bind(iso(31)),
      env.DB.prepare("INSERT INTO idempotency_keys (key, request_hash, status, response, created_at) VALUES ('new-key-0001', 'h', 201, '{}', ?1)").bind(iso(29)),
      env.DB.prepare("UPDATE campaigns SET creator_email = 'creator@example.org', created_at = ?1 WHERE slug = 'laredo'").bind(iso(500)),
    ]);
    await runCron({});
    const keys = await env.DB.prepare("SELECT key FROM idempotency_keys WHERE key LIKE '%-key-0001'").all<{ key: string }>();
    expect(keys.results.map((r) => r.key)).toEqual(['new-key-0001']);
    expect(await env.DB.prepare("SELECT creator_email FROM campaigns WHERE slug = 'laredo'").first()).toEqual({ creator_email: 'creator@example.org' });
    await runCron({ RETENTION_DAYS: '365' });
    expect(await env.DB.prepare("SELECT creator_email FROM campaigns WHERE slug = 'laredo'").first()).toEqual({ creator_email: null });
  });
});
