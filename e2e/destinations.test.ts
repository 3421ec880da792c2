/**
 * Events to the organizers' destinations against the real Worker (wrangler dev: D1, the Queues producer
 * and consumer, the cron), with local stand-ins for a CRM's webhook receiver and for Action Network.
 * A signer reaches a destination only once they confirmed by email (the simulated binding's file).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { ensureDevVars } from '../scripts/local-worker.ts';
import { startStack, type Stack } from './harness.ts';
import { watchMailbox } from './mailbox.ts';
import { pdfText } from '../worker/test/pdf-text.ts';
import { startActionNetwork, startWebhookReceiver } from './stand-ins.ts';

let stack: Stack;
let mailbox: ReturnType<typeof watchMailbox>;
let token: string;
before(async () => {
  token = /^ADMIN_TOKEN=(.+)$/m.exec(readFileSync(ensureDevVars(), 'utf8'))![1]!.trim();
  // Retries after 1 s, 2 s, 4 s… here (10 s, 20 s… by default), so a retry is seen within seconds.
  stack = await startStack('e2e-destinations', { vars: { DELIVERY_RETRY_BASE_SECONDS: '1' }, testScheduled: true });
  mailbox = watchMailbox(stack);
});
after(async () => {
  await stack?.close();
});

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${stack.worker.url}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...init.headers } });
const DESTINATIONS = '/v1/admin/efforts/expand-sanctuary/destinations';

async function createDestination(body: Record<string, unknown>) {
  const res = await api(DESTINATIONS, { method: 'POST', body: JSON.stringify(body) });
  assert.equal(res.status, 201, await res.clone().text());
  return ((await res.json()) as { data: { id: string; secret?: string } }).data;
}
const removeDestination = (id: string) => api(`${DESTINATIONS}/${id}`, { method: 'DELETE' });

let n = 0;
async function sign(over: Record<string, unknown> = {}) {
  const person = { firstName: 'Rosa', lastName: 'Martínez', email: `rosa.${Date.now()}.${n++}@example.org`, zip: '60076', consentEffort: true, ...over };
  const res = await fetch(`${stack.worker.url}/v1/campaigns/skokie/signatures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify(person),
  });
  assert.equal(res.status, 201);
  return person;
}

async function until(what: string, ok: () => boolean | Promise<boolean>, seconds = 30) {
  for (let i = 0; i < seconds * 4; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`timed out after ${seconds} s waiting for ${what}`);
}

test('a confirmed signature reaches a webhook within seconds, signed as Standard Webhooks says; not before it is confirmed', async () => {
  const receiver = await startWebhookReceiver();
  try {
    const hook = await createDestination({ kind: 'webhook', url: receiver.url });
    assert.match(hook.secret!, /^whsec_/);
    const person = await sign();
    // Signed, counted (the effort counts at once), but its email not confirmed: its consent does not count yet.
    await new Promise((r) => setTimeout(r, 2000));
    assert.ok(!receiver.requests.some((r) => r.body.includes(person.email)), 'nothing sent before the confirmation');
    await mailbox.confirm(person.email);
    await until('the webhook', () => receiver.requests.some((r) => r.body.includes(person.email)));
    const req = receiver.requests.find((r) => r.body.includes(person.email))!;
    const headers = { 'webhook-id': String(req.headers['webhook-id']), 'webhook-timestamp': String(req.headers['webhook-timestamp']), 'webhook-signature': String(req.headers['webhook-signature']) };
    const payload = new Webhook(hook.secret!).verify(req.body, headers) as { type: string; data: { id: string; campaign: { slug: string }; signature: Record<string, unknown> } };
    assert.equal(payload.type, 'signature.confirmed');
    assert.equal(payload.data.id, headers['webhook-id']);
    assert.equal(payload.data.campaign.slug, 'skokie');
    assert.deepEqual(
      { firstName: payload.data.signature.firstName, lastName: payload.data.signature.lastName, email: payload.data.signature.email, zip: payload.data.signature.zip },
      { firstName: 'Rosa', lastName: 'Martínez', email: person.email, zip: '60076' },
    );
    // A tampered body does not verify with the secret.
    assert.throws(() => new Webhook(hook.secret!).verify(req.body.replace('Rosa', 'Eve'), headers));
    await removeDestination(hook.id);
  } finally {
    await receiver.close();
  }
});

test('a receiver that answers 500 twice gets the event on a retry, with the same webhook-id', async () => {
  const receiver = await startWebhookReceiver({ failFirst: 2 });
  try {
    const hook = await createDestination({ kind: 'webhook', url: receiver.url });
    const person = await sign();
    await mailbox.confirm(person.email);
    await until('a delivery accepted on a retry', () => receiver.requests.some((r) => r.status === 204));
    const mine = receiver.requests.filter((r) => r.body.includes(person.email));
    assert.deepEqual(mine.map((r) => r.status), [500, 500, 204]);
    assert.equal(new Set(mine.map((r) => r.headers['webhook-id'])).size, 1, 'the same webhook-id every time');
    // Each try is signed afresh (its own timestamp) and verifies.
    for (const r of mine) new Webhook(hook.secret!).verify(r.body, r.headers as Record<string, string>);
    const log = (await (await api(`${DESTINATIONS}/${hook.id}/deliveries`)).json()) as { data: { eventId: string; status: string; attempts: number; lastError: string | null }[] };
    const row = log.data.find((d) => d.eventId === mine[0]!.headers['webhook-id'])!;
    assert.equal(row.status, 'delivered');
    assert.equal(row.attempts, 3);
    assert.ok(!JSON.stringify(log).includes(person.email), 'the delivery log holds no personal data');
    await removeDestination(hook.id);
  } finally {
    await receiver.close();
  }
});

test('Action Network (stand-in) receives the OSDI record-signature request, also after it failed once', async () => {
  const an = await startActionNetwork({ apiKey: 'e2e-osdi-key-0123456789', petitionId: 'petition-e2e' });
  try {
    an.failNext(1);
    const dest = await createDestination({ kind: 'action_network', url: an.petitionUrl, apiKey: 'e2e-osdi-key-0123456789' });
    assert.equal(dest.secret, undefined, 'an API key is never shown back');
    const person = await sign({ firstName: 'Luz', lastName: 'Ortega', zip: '60076' });
    const noConsent = await sign({ consentEffort: false });
    await mailbox.confirm(person.email);
    await mailbox.confirm(noConsent.email);
    await until('the signature at Action Network', () => an.signatures.length > 0);
    const [sig] = an.signatures;
    const body = sig!.body as { person: Record<string, unknown>; add_tags: string[] };
    assert.equal(sig!.petition, 'petition-e2e');
    assert.deepEqual(body.person.email_addresses, [{ address: person.email }]);
    assert.equal(body.person.given_name, 'Luz');
    assert.equal(body.person.family_name, 'Ortega');
    assert.deepEqual(body.person.postal_addresses, [{ postal_code: '60076', country: 'US' }]);
    assert.ok(body.add_tags.includes('campaign:skokie'));
    assert.deepEqual(an.requests.map((r) => r.status), [503, 200]);
    // The signer who did not consent to the effort is never sent.
    await new Promise((r) => setTimeout(r, 2000));
    assert.ok(!an.requests.some((r) => r.body.includes(noConsent.email)));
    await removeDestination(dest.id);
  } finally {
    await an.close();
  }
});

test('an event committed but never handed to the queue (the Worker died) is sent by the cron’s sweep', async () => {
  const receiver = await startWebhookReceiver();
  try {
    const hook = await createDestination({ kind: 'webhook', url: receiver.url });
    // A confirmed signature committed with its events, as if the Worker had stopped before the hand-over:
    // written straight into D1 (the trigger writes `signature.created`; the confirmation's event is written
    // as eventStatement() does), nothing sent to the queue, two minutes old.
    const email = `swept.${Date.now()}@example.org`;
    stack.query(
      `INSERT INTO signatures (campaign_id, first_name, last_name, email, email_hash, zip, consent_effort, confirmed_at)
         SELECT id, 'Sam', 'Swept', '${email}', 'swept-${Date.now()}', '60076', 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now') FROM campaigns WHERE slug = 'skokie';
       INSERT INTO events (id, type, effort_id, campaign_id, signature_id)
         SELECT 'evt_' || lower(hex(randomblob(16))), 'signature.confirmed', c.effort_id, c.id, s.id
           FROM signatures s JOIN campaigns c ON c.id = s.campaign_id WHERE s.email = '${email}';
       UPDATE events SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 minutes') WHERE handed_at IS NULL`,
    );
    const [row] = stack.query<{ id: string; handed_at: string | null }>(
      `SELECT e.id, e.handed_at FROM events e JOIN signatures s ON s.id = e.signature_id WHERE s.email = '${email}' AND e.type = 'signature.confirmed'`,
    );
    assert.equal(row!.handed_at, null);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(receiver.requests.length, 0, 'nothing is sent before the sweep');
    assert.equal((await fetch(`${stack.worker.url}/__scheduled?cron=${encodeURIComponent('* * * * *')}`)).status, 200);
    await until('the swept event at the webhook', () => receiver.requests.some((r) => r.headers['webhook-id'] === row!.id));
    await removeDestination(hook.id);
  } finally {
    await receiver.close();
  }
});

test('the delivery PDF opens (read back with pdf-lib) and holds the campaign’s signers', async () => {
  const people = [await sign({ firstName: 'Pilar', lastName: 'Quintero' }), await sign({ firstName: 'Tomás', lastName: 'Ibarra' })];
  // These signers did not confirm their email: list every counted one.
  const res = await api('/v1/admin/campaigns/skokie/delivery.pdf?signers=all');
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  const { doc, pages } = await pdfText(new Uint8Array(await res.arrayBuffer()));
  assert.ok(doc.getPageCount() >= 1);
  const text = pages.join('');
  for (const p of people) assert.ok(text.includes(`${p.firstName} ${p.lastName}`), `${p.firstName} is listed`);
  assert.match(text, /signatures in all/);
});
