/**
 * Events and destinations inside workerd with the real D1: the outbox row is written in the signature's
 * own transaction, a failed hand-over leaves it for the cron's sweep, and who goes where (a partner's
 * webhook never receives a signer who did not tick its consent, and no destination receives a signer
 * before they confirmed their email: consent takes effect only once confirmed).
 */
import { createExecutionContext, createMessageBatch, createScheduledController, env, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import { backoffSeconds, consume, type EventMessage } from '../src/events/outbox.ts';
import { BASE, PARTNER_ORIGIN, json, signer } from './helpers.ts';

const ADMIN = { authorization: `Bearer ${env.ADMIN_TOKEN}` };
const PARTNER = 'events-test-partner';

/** A queue that records what it is given (or refuses everything). */
function fakeQueue(fail = false) {
  const sent: EventMessage[] = [];
  const q = {
    sent,
    async send(body: EventMessage) {
      if (fail) throw new Error('queue unavailable');
      sent.push(body);
    },
    async sendBatch(messages: Iterable<{ body: EventMessage }>) {
      if (fail) throw new Error('queue unavailable');
      for (const m of messages) sent.push(m.body);
    },
  };
  return q as typeof q & Queue<EventMessage>;
}

/** One request through the whole Worker with these bindings, waiting for what it does after answering. */
async function request(path: string, init: RequestInit, over: Partial<Env> = {}) {
  const ctx = createExecutionContext();
  const headers = new Headers(init.headers);
  if (!headers.has('origin')) headers.set('origin', PARTNER_ORIGIN);
  const res = await worker.fetch(new Request(`${BASE}${path}`, { ...init, headers }), { ...env, ...over } as Env, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}
const post = (path: string, body: unknown, over: Partial<Env> = {}, headers: Record<string, string> = {}) =>
  request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }, over);

const eventsOf = (email: string) =>
  env.DB.prepare(
    `SELECT e.id, e.type, e.handed_at, e.routed_at FROM events e JOIN signatures s ON s.id = e.signature_id WHERE s.email = ?1 ORDER BY e.seq`,
  )
    .bind(email)
    .all<{ id: string; type: string; handed_at: string | null; routed_at: string | null }>()
    .then((r) => r.results);

/** An EMAIL binding that keeps each confirmation link by the address it went to. */
function mailbox() {
  const links = new Map<string, string>();
  const binding = {
    async send(m: { to: string; text: string }) {
      links.set(m.to.toLowerCase(), new URL(/https?:\/\/\S+\/v1\/confirm\/[A-Za-z0-9_-]+/.exec(m.text)![0]).pathname);
      return { messageId: `<m${links.size}@test>` };
    },
  } as unknown as SendEmail;
  return { links, binding };
}

/** The signer opens their confirmation email and presses the button (the POST; the page's own origin). */
async function confirm(box: ReturnType<typeof mailbox>, email: string, over: Partial<Env>) {
  const link = box.links.get(email.toLowerCase());
  expect(link, `a confirmation email to ${email}`).toBeDefined();
  const res = await request(link!, { method: 'POST', headers: { origin: BASE } }, over);
  expect(res.status).toBe(200);
}

/** Runs the queue consumer on these messages, as the queue would. */
async function deliverAll(messages: EventMessage[], over: Partial<Env> = {}) {
  const batch = createMessageBatch<EventMessage>('sanctuary-petition-events', messages.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })));
  const ctx = createExecutionContext();
  await consume(batch, { ...env, ...over } as Env);
  return getQueueResult(batch, ctx);
}

beforeAll(async () => {
  await env.DB.batch([
    env.DB.prepare("INSERT INTO partners (code, name) VALUES (?1, 'Events test partner')").bind(PARTNER),
    env.DB.prepare('INSERT INTO partner_origins (partner_code, origin) VALUES (?1, ?2)').bind(PARTNER, PARTNER_ORIGIN),
  ]);
});
afterEach(() => vi.restoreAllMocks());

describe('the outbox', () => {
  it('writes the event in the signature’s own batch; a failed hand-over leaves it for the sweep', async () => {
    const s = signer({ consentEffort: true });
    const refusing = fakeQueue(true);
    const res = await post('/v1/campaigns/skokie/signatures', s, { EVENTS: refusing }, { 'idempotency-key': crypto.randomUUID() });
    expect(res.status).toBe(201);
    const [event, ...more] = await eventsOf(s.email.toLowerCase());
    expect(more).toEqual([]);
    expect(event).toMatchObject({ type: 'signature.created', handed_at: null, routed_at: null });
    expect(event!.id).toMatch(/^evt_[0-9a-f]{32}$/);

    // A repeat of the same email is not a new signature: no second event.
    await post('/v1/campaigns/skokie/signatures', { ...s, email: s.email.toUpperCase() }, { EVENTS: fakeQueue() });
    expect(await eventsOf(s.email.toLowerCase())).toHaveLength(1);

    // The cron, a minute later: the event that never reached the queue is sent (and marked handed).
    const queue = fakeQueue();
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now() + 120_000, cron: '* * * * *' }), { ...env, EVENTS: queue } as Env, ctx);
    await waitOnExecutionContext(ctx);
    expect(queue.sent).toContainEqual({ eventId: event!.id });
    expect((await eventsOf(s.email.toLowerCase()))[0]!.handed_at).not.toBeNull();
  });

  it('writes nothing for a signature that is refused (an unreachable campaign)', async () => {
    await env.DB.prepare("UPDATE campaigns SET status = 'suppressed' WHERE slug = 'laredo'").run();
    const s = signer();
    const res = await post('/v1/campaigns/laredo/signatures', s, { EVENTS: fakeQueue() });
    expect(res.status).toBe(404);
    expect(await eventsOf(s.email.toLowerCase())).toEqual([]);
    const suppressed = await env.DB.prepare(
      "SELECT count(*) AS n FROM events e JOIN campaigns c ON c.id = e.campaign_id WHERE c.slug = 'laredo' AND e.type = 'campaign.suppressed'",
    ).first<{ n: number }>();
    expect(suppressed!.n).toBe(1); // the suppression itself is an event, written by the same UPDATE
  });
});

describe('who goes where', () => {
  it('a partner’s webhook receives only the signers credited to it who ticked its consent, signed', async () => {
    const queue = fakeQueue();
    const created = await post('/v1/admin/efforts/expand-sanctuary/destinations', { kind: 'webhook', url: 'https://crm.partner.example/hook', partner: PARTNER }, { EVENTS: queue }, ADMIN);
    expect(created.status).toBe(201);
    const hook = (await json<{ data: { id: string; secret: string } }>(created)).data;
    expect(hook.secret).toMatch(/^whsec_/);
    const stored = await env.DB.prepare('SELECT secret_box FROM destinations WHERE id = ?1').bind(hook.id).first<{ secret_box: string }>();
    expect(stored!.secret_box).not.toContain(hook.secret.slice(6));

    const received: { url: string; headers: Headers; body: string }[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const req = new Request(input as RequestInfo, init);
      received.push({ url: req.url, headers: req.headers, body: await req.text() });
      return new Response(null, { status: 204 });
    });

    const box = mailbox();
    const over = { EVENTS: queue, EMAIL: box.binding };
    const noConsent = signer({ partner: PARTNER, consentPartner: false, consentEffort: true, firstName: 'Nadia' });
    const consent = signer({ partner: PARTNER, consentPartner: true, firstName: 'Yusuf' });
    const otherSite = signer({ partner: PARTNER, consentPartner: true, firstName: 'Olga' });
    expect((await post('/v1/campaigns/skokie/signatures', noConsent, over)).status).toBe(201);
    expect((await post('/v1/campaigns/skokie/signatures', consent, over)).status).toBe(201);
    // From a site that is not the partner's: not credited to it, so not sent to it either.
    const elsewhere = await request('/v1/campaigns/skokie/signatures', { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://other.example' }, body: JSON.stringify(otherSite) }, over);
    expect(elsewhere.status).toBe(201);

    // Signed (and counted, the effort counts at once) but not confirmed: nobody is sent anywhere yet.
    expect(queue.sent.length).toBeGreaterThanOrEqual(3);
    expect((await deliverAll(queue.sent)).retryMessages).toEqual([]);
    for (const s of [noConsent, consent, otherSite]) expect(received.filter((r) => r.body.includes(s.email.toLowerCase()))).toEqual([]);

    // Each confirms by email: now consent takes effect.
    for (const s of [noConsent, consent, otherSite]) await confirm(box, s.email, over);
    const result = await deliverAll(queue.sent);
    expect(result.retryMessages).toEqual([]);

    const toPartner = received.filter((r) => r.url === 'https://crm.partner.example/hook');
    expect(toPartner).toHaveLength(1);
    const only = toPartner[0]!;
    const payload = new Webhook(hook.secret).verify(only.body, Object.fromEntries(only.headers)) as { type: string; data: { id: string; signature: { email: string } } };
    expect(payload.type).toBe('signature.confirmed');
    expect(payload.data.signature.email).toBe(consent.email.toLowerCase());
    expect(only.headers.get('webhook-id')).toBe(payload.data.id);
    for (const r of received) {
      expect(r.body).not.toContain(noConsent.email.toLowerCase());
      expect(r.body).not.toContain(otherSite.email.toLowerCase());
    }
    // Delivered once: a second run of the same messages sends nothing again.
    await deliverAll(queue.sent);
    expect(received.filter((r) => r.url === 'https://crm.partner.example/hook')).toHaveLength(1);
  });

  it('the effort’s destination gets the signers who consented to the effort; failures are retried with backoff and logged without personal data', async () => {
    const queue = fakeQueue();
    const created = await post('/v1/admin/efforts/expand-sanctuary/destinations', { kind: 'webhook', url: 'https://crm.effort.example/hook' }, { EVENTS: queue }, ADMIN);
    const hook = (await json<{ data: { id: string } }>(created)).data;
    let failures = 1;
    vi.spyOn(globalThis, 'fetch').mockImplementation(async () => new Response('echo ana@example.org', { status: failures-- > 0 ? 500 : 200 }));
    const box = mailbox();
    const yes = signer({ consentEffort: true });
    const no = signer({ consentEffort: false });
    await post('/v1/campaigns/skokie/signatures', yes, { EVENTS: queue, EMAIL: box.binding });
    await post('/v1/campaigns/skokie/signatures', no, { EVENTS: queue, EMAIL: box.binding });
    for (const s of [yes, no]) await confirm(box, s.email, { EVENTS: queue });
    const first = await deliverAll(queue.sent);
    expect(first.retryMessages.length).toBe(1);
    // Exponential backoff: 10 s, 20 s, 40 s… at most an hour.
    expect([1, 2, 3, 9, 20].map((n) => backoffSeconds({ DELIVERY_RETRY_BASE_SECONDS: '10' }, n))).toEqual([10, 20, 40, 2560, 3600]);
    const log = await request(`/v1/admin/efforts/expand-sanctuary/destinations/${hook.id}/deliveries`, { headers: ADMIN });
    const rows = (await json<{ data: { status: string; attempts: number; lastError: string }[] }>(log)).data;
    expect(rows).toEqual([expect.objectContaining({ status: 'failing', attempts: 1, lastError: 'HTTP 500' })]);
    await deliverAll(queue.sent);
    const after = (await json<{ data: { status: string; attempts: number }[] }>(await request(`/v1/admin/efforts/expand-sanctuary/destinations/${hook.id}/deliveries`, { headers: ADMIN }))).data;
    expect(after).toEqual([expect.objectContaining({ status: 'delivered', attempts: 2 })]);
  });
});

describe('destinations API', () => {
  it('refuses plain http and local addresses when not running locally, and unknown partners', async () => {
    for (const [body, path] of [
      [{ kind: 'webhook', url: 'http://crm.example/hook' }, 'url'],
      [{ kind: 'webhook', url: 'http://localhost:9999/hook' }, 'url'],
      [{ kind: 'webhook', url: 'https://crm.example/hook', partner: 'nobody-here' }, 'partner'],
      [{ kind: 'action_network', url: 'https://actionnetwork.org/api/v2/petitions/x' }, 'apiKey'],
      [{ kind: 'carrier-pigeon', url: 'https://crm.example/hook' }, 'kind'],
    ] as const) {
      const res = await post('/v1/admin/efforts/expand-sanctuary/destinations', body, {}, ADMIN);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const err = await json<{ error: { code: string; issues: { path: string }[] } }>(res);
      expect(err.error.code).toBe('validation_failed');
      expect(err.error.issues.map((i) => i.path)).toContain(path);
    }
    expect((await post('/v1/admin/efforts/expand-sanctuary/destinations', { kind: 'webhook', url: 'https://crm.example/hook' })).status).toBe(401);
    expect((await request('/v1/admin/efforts/nowhere/destinations', { headers: ADMIN })).status).toBe(404);
  });

  it('keeps an Action Network key encrypted and never shows it back; pause, resume, delete', async () => {
    const res = await post('/v1/admin/efforts/expand-sanctuary/destinations', { kind: 'action_network', url: 'https://actionnetwork.org/api/v2/petitions/abc', apiKey: 'an-key-1234567890' }, {}, ADMIN);
    expect(res.status).toBe(201);
    const d = (await json<{ data: Record<string, unknown> & { id: string } }>(res)).data;
    expect(JSON.stringify(d)).not.toContain('an-key-1234567890');
    const row = await env.DB.prepare('SELECT * FROM destinations WHERE id = ?1').bind(d.id).first();
    expect(JSON.stringify(row)).not.toContain('an-key-1234567890');
    const base = `/v1/admin/efforts/expand-sanctuary/destinations/${d.id}`;
    expect((await json<{ data: { status: string } }>(await post(`${base}/pause`, {}, {}, ADMIN))).data.status).toBe('paused');
    expect((await json<{ data: { status: string } }>(await post(`${base}/resume`, {}, { EVENTS: fakeQueue() }, ADMIN))).data.status).toBe('active');
    expect((await request(base, { method: 'DELETE', headers: ADMIN })).status).toBe(200);
    expect((await request(base, { headers: ADMIN })).status).toBe(404);
  });
});
