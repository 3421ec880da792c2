/**
 * Sending one event to one destination: a Standard Webhooks request (signed with the destination's
 * secret by the `standardwebhooks` library) or Action Network's OSDI record-signature request. Answers
 * null when delivered, else an error that holds no personal data (an HTTP status, a timeout, a network
 * failure: never a response body, which could echo the signer).
 */
import { Webhook } from 'standardwebhooks';
import type { DueDeliveryRow, EventRow } from '../db/events.ts';
import type { Env } from '../env.ts';
import { osdiSignature, webhookBody } from './payload.ts';
import { open } from './secrets.ts';

/** How long a destination may take to answer. */
export const DELIVERY_TIMEOUT_MS = 10_000;

const USER_AGENT = 'sanctuary-petition-webhooks/1';

async function send(url: string, init: RequestInit): Promise<string | null> {
  try {
    const res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS) });
    await res.body?.cancel();
    if (res.status >= 200 && res.status < 300) return null;
    return `HTTP ${res.status}`;
  } catch (err) {
    const name = (err as Error).name;
    return name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network error';
  }
}

export async function deliver(env: Pick<Env, 'DESTINATIONS_KEY'>, event: EventRow, to: DueDeliveryRow): Promise<string | null> {
  let secret: string;
  try {
    secret = await open(env, to.secret_box);
  } catch {
    return 'secret unreadable (DESTINATIONS_KEY changed?)';
  }
  if (to.kind === 'webhook') {
    const body = JSON.stringify(webhookBody(event));
    const timestamp = new Date();
    const signature = new Webhook(secret).sign(event.id, timestamp, body);
    return send(to.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        'webhook-id': event.id,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
    });
  }
  // Action Network: signatures only (routing sends it nothing else).
  if (event.signature_id === null) return null;
  return send(`${to.url.replace(/\/+$/, '')}/signatures/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, 'OSDI-API-Token': secret },
    body: JSON.stringify(osdiSignature(event)),
  });
}
