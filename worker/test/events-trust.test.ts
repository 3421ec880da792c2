/**
 * Who goes where once signatures can be held and confirmed (issue 13 with issue 14), inside workerd:
 * a held signature reaches no destination until its signer confirms (nor does any signer: consent takes
 * effect only once confirmed); Action Network records each signer once; the confirmation writes its own event in its transaction;
 * the delivery PDF lists the confirmed signers by default.
 */
import { createExecutionContext, createMessageBatch, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import worker from '../src/index.ts';
import type { Env } from '../src/env.ts';
import { confirmSignature } from '../src/db/confirmations.ts';
import { consume, type EventMessage } from '../src/events/outbox.ts';
import { BASE, PARTNER_ORIGIN, signer } from './helpers.ts';
import { pdfText } from './pdf-text.ts';

const ADMIN = { authorization: `Bearer ${env.ADMIN_TOKEN}` };

function fakeQueue() {
  const sent: EventMessage[] = [];
  return {
    sent,
    async send(body: EventMessage) {
      sent.push(body);
    },
    async sendBatch(messages: Iterable<{ body: EventMessage }>) {
      for (const m of messages) sent.push(m.body);
    },
  } as unknown as Queue<EventMessage> & { sent: EventMessage[] };
}

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

async function deliverAll(messages: EventMessage[]) {
  const batch = createMessageBatch<EventMessage>('sanctuary-petition-events', messages.map((body, i) => ({ id: `m${i}`, timestamp: new Date(), attempts: 1, body })));
  await consume(batch, env as Env);
}
const idOf = async (email: string) =>
  (await env.DB.prepare('SELECT id FROM signatures WHERE email = ?1').bind(email.toLowerCase()).first<{ id: number }>())!.id;

afterEach(() => vi.restoreAllMocks());

describe('held and confirmed signatures', () => {
  it('a held signature reaches no destination until confirmed; then once, as signature.confirmed', async () => {
    const queue = fakeQueue();
    const res = await post('/v1/admin/efforts/expand-sanctuary/destinations', { kind: 'webhook', url: 'https://crm.held.example/hook' }, { EVENTS: queue }, ADMIN);
    expect(res.status).toBe(201);
    const bodies: string[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const req = new Request(input as RequestInfo, init);
      if (req.url === 'https://crm.held.example/hook') bodies.push(await req.text());
      return new Response(null, { status: 204 });
    });
    const held = signer({ consentEffort: true, website: 'filled by a bot, or a person' });
    expect((await post('/v1/campaigns/skokie/signatures', held, { EVENTS: queue })).status).toBe(201);
    await deliverAll(queue.sent);
    expect(bodies.filter((b) => b.includes(held.email.toLowerCase()))).toEqual([]);

    expect(await confirmSignature(env.DB, await idOf(held.email), 'no-such-token')).toBe(true);
    await request('/v1/admin/efforts/expand-sanctuary/destinations', { method: 'GET', headers: ADMIN }); // any request; the hand-over runs after writes only
    const { results } = await env.DB.prepare("SELECT id FROM events WHERE type = 'signature.confirmed' AND signature_id = ?1").bind(await idOf(held.email)).all<{ id: string }>();
    expect(results).toHaveLength(1);
    await deliverAll([...queue.sent, { eventId: results[0]!.id }]);
    const mine = bodies.filter((b) => b.includes(held.email.toLowerCase()));
    expect(mine).toHaveLength(1);
    expect(JSON.parse(mine[0]!).type).toBe('signature.confirmed');
    // A second confirmation writes no second event.
    await confirmSignature(env.DB, await idOf(held.email), 'no-such-token');
    const again = await env.DB.prepare("SELECT count(*) AS n FROM events WHERE type = 'signature.confirmed' AND signature_id = ?1").bind(await idOf(held.email)).first<{ n: number }>();
    expect(again!.n).toBe(1);
  });

  it('Action Network gets each confirmed signer once: not before confirmation, and not again where an earlier signature.created was recorded', async () => {
    const queue = fakeQueue();
    const res = await post('/v1/admin/efforts/expand-sanctuary/destinations', { kind: 'action_network', url: 'https://actionnetwork.org/api/v2/petitions/trust', apiKey: 'an-trust-key-0123456789' }, { EVENTS: queue }, ADMIN);
    expect(res.status).toBe(201);
    const dest = (await res.json<{ data: { id: string } }>()).data;
    const bodies: string[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
      const req = new Request(input as RequestInfo, init);
      if (req.url.startsWith('https://actionnetwork.org/api/v2/petitions/trust')) bodies.push(await req.text());
      return new Response('{}', { status: 200 });
    });
    const fresh = signer({ consentEffort: true });
    const recorded = signer({ consentEffort: true });
    for (const s of [fresh, recorded]) expect((await post('/v1/campaigns/skokie/signatures', s, { EVENTS: queue })).status).toBe(201);
    await deliverAll(queue.sent);
    expect(bodies).toEqual([]); // signed, counted at once, not confirmed: nobody is sent
    // `recorded` was sent on its signature.created before consent waited for confirmation (an older release).
    await env.DB.prepare(
      `INSERT INTO deliveries (event_id, destination_id, status) SELECT id, ?2, 'delivered' FROM events WHERE type = 'signature.created' AND signature_id = ?1`,
    ).bind(await idOf(recorded.email), dest.id).run();
    const confirmedEvents: EventMessage[] = [];
    for (const s of [fresh, recorded]) {
      await confirmSignature(env.DB, await idOf(s.email), 'no-such-token');
      const e = await env.DB.prepare("SELECT id FROM events WHERE type = 'signature.confirmed' AND signature_id = ?1").bind(await idOf(s.email)).first<{ id: string }>();
      confirmedEvents.push({ eventId: e!.id });
    }
    await deliverAll([...queue.sent, ...confirmedEvents]);
    await deliverAll([...queue.sent, ...confirmedEvents]);
    expect(bodies.filter((b) => b.includes(fresh.email.toLowerCase()))).toHaveLength(1);
    expect(bodies.filter((b) => b.includes(recorded.email.toLowerCase()))).toEqual([]);
    expect((await request(`/v1/admin/efforts/expand-sanctuary/destinations/${dest.id}`, { method: 'DELETE', headers: ADMIN })).status).toBe(200);
  });

  it('the delivery PDF lists the confirmed signers by default, every counted one with signers=all', async () => {
    const a = signer({ firstName: 'Confirmada', lastName: 'Uno' });
    const b = signer({ firstName: 'Pendiente', lastName: 'Dos' });
    await post('/v1/campaigns/ithaca/signatures', a, { EVENTS: fakeQueue() });
    await post('/v1/campaigns/ithaca/signatures', b, { EVENTS: fakeQueue() });
    await confirmSignature(env.DB, await idOf(a.email), 'no-such-token');
    const confirmedOnly = (await pdfText(new Uint8Array(await (await request('/v1/admin/campaigns/ithaca/delivery.pdf', { headers: ADMIN })).arrayBuffer()))).pages.join('');
    expect(confirmedOnly).toContain('Confirmada Uno');
    expect(confirmedOnly).not.toContain('Pendiente Dos');
    const all = (await pdfText(new Uint8Array(await (await request('/v1/admin/campaigns/ithaca/delivery.pdf?signers=all', { headers: ADMIN })).arrayBuffer()))).pages.join('');
    expect(all).toContain('Pendiente Dos');
  });
});
