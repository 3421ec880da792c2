import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { deliverOwedEmails, retryDelaySeconds } from '../src/confirmation/mailer.ts';
import { PAGE_CSS, PAGE_CSS_HASH } from '../src/confirmation/page.ts';
import type { Env } from '../src/env.ts';
import worker from '../src/index.ts';
import wranglerToml from '../../wrangler.toml?raw';
import { BASE, json, signer } from './helpers.ts';

// Campaigns of the demo seed used only by this file: santa-maria (the effort's counting is switched in
// one test, which puts it back).
const SLUG = 'santa-maria';
const SIGN = `/v1/campaigns/${SLUG}/signatures`;

type Mail = { from: { name: string; email: string }; to: string; subject: string; text: string; html: string };

/** An EMAIL binding that keeps what it is given (or fails, to test retries). */
function mailbox(fail = false) {
  const sent: Mail[] = [];
  const binding = {
    async send(m: Mail) {
      if (fail) throw new Error('Email Service unavailable for ana@example.org');
      sent.push(m);
      return { messageId: `<m${sent.length}@test>` };
    },
  } as unknown as SendEmail;
  return { sent, binding };
}

/** The whole Worker with some bindings or settings changed; waits for its after-answer work (the email). */
async function request(over: Partial<Env>, path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  if (!headers.has('origin') && init.method === 'POST' && !path.startsWith('/v1/confirm/')) headers.set('origin', 'https://partner.example');
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${BASE}${path}`, { ...init, headers }), { ...env, ...over }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}
const signAs = (over: Partial<Env>, body: unknown, headers: Record<string, string> = {}) =>
  request(over, SIGN, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

const linkIn = (mail: Mail) => new URL(/https?:\/\/\S+\/v1\/confirm\/[A-Za-z0-9_-]+/.exec(mail.text)![0]).pathname;
const counts = async () =>
  (await env.DB.prepare(
    `SELECT c.signature_count AS campaign, c.confirmed_count AS confirmed, e.signature_count AS effort, e.confirmed_count AS effortConfirmed
       FROM campaigns c JOIN efforts e ON e.id = c.effort_id WHERE c.slug = ?1`,
  ).bind(SLUG).first<{ campaign: number; confirmed: number; effort: number; effortConfirmed: number }>())!;
const row = (email: string) =>
  env.DB.prepare('SELECT id, held_reason, counted, confirmed_at, lang FROM signatures WHERE email = ?1').bind(email.toLowerCase()).first<{
    id: number; held_reason: string | null; counted: number; confirmed_at: string | null; lang: string }>();
const setCounting = (counting: 'at_once' | 'confirmed') =>
  worker.fetch(
    new Request(`${BASE}/v1/admin/efforts/expand-sanctuary`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ counting }),
    }),
    env,
    createExecutionContext(),
  );

describe('confirmation email', () => {
  it('goes to each new signer, in the language signed in, naming the campaign and its official, with a link', async () => {
    const box = mailbox();
    const s = signer({ firstName: 'Rosa', lang: 'es' });
    expect((await signAs({ EMAIL: box.binding }, s)).status).toBe(201);
    expect(box.sent).toHaveLength(1);
    const [mail] = box.sent;
    expect(mail!.to).toBe(s.email);
    expect(mail!.from).toEqual({ name: 'Sanctuary Petition', email: env.EMAIL_FROM });
    expect(mail!.subject).toMatch(/^Confirma tu firma: /);
    const campaign = (await env.DB.prepare('SELECT title, target_name, target_title, town FROM campaigns WHERE slug = ?1').bind(SLUG).first<Record<string, string>>())!;
    for (const part of [campaign.title, campaign.target_name, campaign.target_title, campaign.town, 'Hola, Rosa']) {
      expect(mail!.text).toContain(part);
    }
    expect(mail!.html).toContain(`href="${BASE}/v1/confirm/`);
    expect(linkIn(mail!)).toMatch(/^\/v1\/confirm\/[A-Za-z0-9_-]{43}$/);
    // English by default, or from Accept-Language.
    const en = mailbox();
    await signAs({ EMAIL: en.binding }, signer());
    await signAs({ EMAIL: en.binding }, signer(), { 'accept-language': 'es-MX,es;q=0.9' });
    expect(en.sent.map((m) => m.subject.split(':')[0])).toEqual(['Confirm your signature', 'Confirma tu firma']);
  });

  it('stores only a hash of the token, single-purpose, expiring in 30 days', async () => {
    const box = mailbox();
    await signAs({ EMAIL: box.binding }, signer());
    const token = linkIn(box.sent[0]!).split('/').pop()!;
    const tokens = (await env.DB.prepare('SELECT token_hash, purpose, expires_at, created_at FROM confirmation_tokens').all<Record<string, string>>()).results;
    expect(JSON.stringify(tokens)).not.toContain(token);
    const mine = tokens.at(-1)!;
    expect(mine.purpose).toBe('signature');
    expect(mine.token_hash).toMatch(/^[0-9a-f]{64}$/);
    const days = (Date.parse(mine.expires_at) - Date.parse(mine.created_at)) / 86_400_000;
    expect(days).toBeGreaterThan(29.99);
    expect(days).toBeLessThan(30.01);
  });

  it('opening the link (GET, as a mail scanner does) confirms nothing; the button’s POST confirms; twice is harmless', async () => {
    const box = mailbox();
    const s = signer({ website: 'filled by a password manager' });
    await signAs({ EMAIL: box.binding }, s);
    const link = linkIn(box.sent[0]!);
    const before = await counts();
    expect(await row(s.email)).toMatchObject({ held_reason: 'honeypot', counted: 0, confirmed_at: null });

    for (let i = 0; i < 3; i++) {
      const page = await request({}, link);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.get('content-security-policy')).toBe(
        `default-src 'none'; style-src ${PAGE_CSS_HASH}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
      );
      const html = await page.text();
      expect(html).toContain('<form method="post"><button type="submit">Confirm my signature</button></form>');
      expect(html).not.toMatch(/<script|\son\w+=/i);
      expect(html).not.toContain(s.email);
    }
    expect(await row(s.email)).toMatchObject({ counted: 0, confirmed_at: null });
    expect(await counts()).toEqual(before);

    const confirmed = await request({}, link, { method: 'POST' });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('your signature is confirmed');
    expect(await row(s.email)).toMatchObject({ counted: 1, confirmed_at: expect.stringMatching(/^\d{4}-/) });
    const after = await counts();
    expect(after).toEqual({ campaign: before.campaign + 1, confirmed: before.confirmed + 1, effort: before.effort + 1, effortConfirmed: before.effortConfirmed + 1 });

    const again = await request({}, link, { method: 'POST' });
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('already confirmed');
    expect(await counts()).toEqual(after);
    expect(await (await request({}, link)).text()).not.toContain('<form');
  });

  it('an unknown, malformed or expired link is a polite 404 page, in the visitor’s language', async () => {
    const box = mailbox();
    await signAs({ EMAIL: box.binding }, signer());
    const link = linkIn(box.sent[0]!);
    await env.DB.prepare("UPDATE confirmation_tokens SET expires_at = '2020-01-01T00:00:00.000Z'").run();
    for (const path of [link, '/v1/confirm/nope', `/v1/confirm/${'A'.repeat(43)}`]) {
      for (const method of ['GET', 'POST']) {
        const res = await request({}, path, { method, headers: { 'accept-language': 'es' } });
        expect(res.status).toBe(404);
        expect(await res.text()).toContain('Este enlace no funciona');
      }
    }
  });

  it('a repeat signature sends no second email within a day; after a day it does, until confirmed', async () => {
    const box = mailbox();
    const s = signer();
    await signAs({ EMAIL: box.binding }, s);
    for (let i = 0; i < 5; i++) expect((await signAs({ EMAIL: box.binding }, { ...s, email: s.email.toUpperCase() })).status).toBe(201);
    expect(box.sent).toHaveLength(1);
    await env.DB.prepare("UPDATE email_outbox SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-25 hours')").run();
    await signAs({ EMAIL: box.binding }, s);
    expect(box.sent).toHaveLength(2);
    // Confirmed: no more emails, ever.
    await request({}, linkIn(box.sent[1]!), { method: 'POST' });
    await env.DB.prepare("UPDATE email_outbox SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-25 hours')").run();
    await signAs({ EMAIL: box.binding }, s);
    expect(box.sent).toHaveLength(2);
  });

  it('a failed send stays owed, with its error (no email address in it), and the cron sends it later', async () => {
    const broken = mailbox(true);
    const s = signer();
    expect((await signAs({ EMAIL: broken.binding }, s)).status).toBe(201);
    const owed = (await env.DB.prepare(
      `SELECT o.id, o.attempts, o.sent_at, o.last_error FROM email_outbox o JOIN signatures s ON s.id = o.subject_id WHERE s.email = ?1`,
    ).bind(s.email).first<{ id: number; attempts: number; sent_at: string | null; last_error: string }>())!;
    expect(owed).toMatchObject({ attempts: 1, sent_at: null });
    expect(owed.last_error).toContain('Email Service unavailable');
    expect(owed.last_error).not.toContain('@');
    // Not due yet: the cron leaves it; once due, the cron sends it.
    const box = mailbox();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '*/5 * * * *' }), { ...env, EMAIL: box.binding }, createExecutionContext());
    expect(box.sent.filter((m) => m.to === s.email)).toHaveLength(0);
    await env.DB.prepare("UPDATE email_outbox SET next_attempt_at = '2020-01-01T00:00:00.000Z' WHERE id = ?1").bind(owed.id).run();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '*/5 * * * *' }), { ...env, EMAIL: box.binding }, createExecutionContext());
    expect(box.sent.filter((m) => m.to === s.email)).toHaveLength(1);
    expect(await env.DB.prepare('SELECT attempts, sent_at IS NOT NULL AS sent, message_id FROM email_outbox WHERE id = ?1').bind(owed.id).first())
      .toEqual({ attempts: 2, sent: 1, message_id: expect.stringMatching(/^<m\d+@test>$/) });
    // Only the latest token works (the failed attempt's was removed).
    expect((await request({}, linkIn(box.sent.at(-1)!), { method: 'POST' })).status).toBe(200);
    expect(retryDelaySeconds(1)).toBe(60);
    expect(retryDelaySeconds(4)).toBe(480);
    expect(retryDelaySeconds(30)).toBe(6 * 3600);
  });

  it('goes out through the real send_email binding (Email Service, simulated by miniflare)', async () => {
    const s = signer();
    expect((await signAs({}, s)).status).toBe(201);
    const sent = await env.DB.prepare(
      'SELECT o.sent_at IS NOT NULL AS sent, o.message_id FROM email_outbox o JOIN signatures s ON s.id = o.subject_id WHERE s.email = ?1',
    ).bind(s.email).first<{ sent: number; message_id: string }>();
    expect(sent).toEqual({ sent: 1, message_id: expect.stringMatching(/^<.+@sanctuary-petition\.example>$/) });
  });

  it('without a binding or a sender nothing is lost: the email stays owed', async () => {
    const s = signer();
    await signAs({ EMAIL: undefined }, s);
    const report = await deliverOwedEmails({ ...env, EMAIL_FROM: '' }, null);
    expect(report).toEqual({ sent: 0, failed: 0, skipped: 0, gaveUp: 0 });
    expect(await env.DB.prepare(
      'SELECT count(*) AS n FROM email_outbox o JOIN signatures s ON s.id = o.subject_id WHERE s.email = ?1 AND o.sent_at IS NULL',
    ).bind(s.email).first()).toEqual({ n: 1 });
  });

  it('the page’s CSP hash is the hash of its stylesheet', async () => {
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(PAGE_CSS));
    expect(PAGE_CSS_HASH).toBe(`'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`);
  });
});

describe('counting per effort', () => {
  it('"confirmed" counts a signature only once confirmed; switching recounts; confirmedCount is public', async () => {
    const box = mailbox();
    const counted = signer();
    await signAs({ EMAIL: box.binding }, counted);
    const before = await counts();
    const res = await setCounting('confirmed');
    expect(res.status).toBe(200);
    expect((await json(res)).data.counting).toBe('confirmed');
    // The unconfirmed signatures already there are no longer counted.
    const switched = await counts();
    const unconfirmed = (await env.DB.prepare(
      `SELECT count(*) AS n FROM signatures s JOIN campaigns c ON c.id = s.campaign_id WHERE c.slug = ?1 AND s.confirmed_at IS NULL`,
    ).bind(SLUG).first<{ n: number }>())!.n;
    expect(switched.campaign).toBe(before.campaign - unconfirmed);
    try {
      const s = signer();
      const answer = await json(await signAs({ EMAIL: box.binding }, s));
      // Answered like every signature (the count before it, plus one), yet not counted.
      expect(answer.data.signatureCount).toBe(switched.campaign + 1);
      expect(await row(s.email)).toMatchObject({ counted: 0, held_reason: null });
      expect((await counts()).campaign).toBe(switched.campaign);
      await request({}, linkIn(box.sent.at(-1)!), { method: 'POST' });
      const after = await counts();
      expect(after).toMatchObject({ campaign: switched.campaign + 1, confirmed: switched.confirmed + 1 });
      const campaign = (await json(await request({}, `/v1/campaigns/${SLUG}`))).data;
      expect(campaign).toMatchObject({ signatureCount: after.campaign, confirmedCount: after.confirmed });
      const effort = (await json(await request({}, '/v1/efforts/expand-sanctuary'))).data;
      expect(effort).toMatchObject({ signatureCount: after.effort, confirmedCount: after.effortConfirmed });
    } finally {
      expect((await setCounting('at_once')).status).toBe(200);
    }
    // Back to "at once": every unheld signature counts again.
    expect((await counts()).campaign).toBe(before.campaign + 1);
  });

  it('refuses an unknown counting rule', async () => {
    const res = await worker.fetch(
      new Request(`${BASE}/v1/admin/efforts/expand-sanctuary`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ counting: 'never' }),
      }),
      env,
      createExecutionContext(),
    );
    expect(res.status).toBe(400);
    expect((await json(res)).error.issues[0]).toEqual({ path: 'counting', message: 'Use "at_once" or "confirmed".' });
  });
});

describe('a new campaign held for a suspect signal', () => {
  it('is stored pending, its creator gets an email, and confirming makes it reachable', async () => {
    const box = mailbox();
    const res = await request({ EMAIL: box.binding }, '/v1/efforts/expand-sanctuary/campaigns', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        target: { name: 'Quick Mayor', title: 'Mayor' }, place: '60076', elapsedMs: 10, lang: 'es',
        creator: { firstName: 'Denise', lastName: 'Lee', email: 'denise.held@example.org' },
      }),
    });
    expect(res.status).toBe(201);
    const { data } = await json(res);
    expect(data.status).toBe('unlisted');
    expect((await request({}, `/v1/campaigns/${data.slug}`)).status).toBe(404);
    expect(box.sent).toHaveLength(1);
    expect(box.sent[0]!.subject).toMatch(/^Confirma tu nueva campaña: /);
    const link = linkIn(box.sent[0]!);
    expect(await (await request({}, link)).text()).toContain('Confirmar mi campaña');
    expect((await request({}, `/v1/campaigns/${data.slug}`)).status).toBe(404);
    expect((await request({}, link, { method: 'POST' })).status).toBe(200);
    expect((await request({}, `/v1/campaigns/${data.slug}`)).status).toBe(200);
  });
});

describe('EMAIL_HASH_KEY', () => {
  const noKey = { EMAIL_HASH_KEY: undefined, LOCAL_DEVELOPMENT: undefined };

  it('missing outside local development: every write is a clear 500 envelope, logged; reads still work', async () => {
    const s = signer();
    const lines: string[] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => lines.push(args.join(' '));
    try {
      const res = await signAs(noKey, s);
      expect(res.status).toBe(500);
      expect(await json(res)).toEqual({
        error: { code: 'not_configured', message: 'This server is not configured to accept signatures yet (its operators must set EMAIL_HASH_KEY).' },
      });
      expect(res.headers.get('access-control-allow-origin')).toBe('https://partner.example');
    } finally {
      console.error = error;
    }
    expect(await row(s.email)).toBeNull();
    expect((await request(noKey, `/v1/campaigns/${SLUG}`)).status).toBe(200);
    // The reason is logged (once per isolate: this test may not be the first to hit it).
    expect(lines.every((l) => !l.includes(s.email))).toBe(true);
  });

  it('missing with LOCAL_DEVELOPMENT = "true" (npm start, tests): the development key is used', async () => {
    const s = signer();
    expect((await signAs({ EMAIL_HASH_KEY: undefined, LOCAL_DEVELOPMENT: 'true' }, s)).status).toBe(201);
    expect(await row(s.email)).not.toBeNull();
  });

  it('wrangler.toml never marks the deployed Worker as local', () => {
    expect(wranglerToml).toContain('[vars]');
    expect(wranglerToml).not.toMatch(/^\s*LOCAL_DEVELOPMENT\s*=/m);
  });
});
