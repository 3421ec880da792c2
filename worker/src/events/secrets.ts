/**
 * Destination secrets (a webhook's signing secret, an Action Network API key) are stored in D1 only
 * encrypted: AES-256-GCM with a key derived (SHA-256) from the Worker secret DESTINATIONS_KEY
 * (`wrangler secret put DESTINATIONS_KEY`; locally `.dev.vars`). A database dump alone reveals none of
 * them; rotating DESTINATIONS_KEY makes the stored ones unreadable (the destinations must be created again).
 */
import type { Env } from '../env.ts';

const DEV_KEY = 'sanctuary-petition-development-destinations-key';
let warned = false;

const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const unb64 = (s: string) => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));

async function key(env: Pick<Env, 'DESTINATIONS_KEY'>): Promise<CryptoKey> {
  let secret = env.DESTINATIONS_KEY;
  if (!secret) {
    if (!warned) {
      warned = true;
      console.warn('[sanctuary-petition] DESTINATIONS_KEY is not set: using the development key. Set it with `wrangler secret put DESTINATIONS_KEY`.');
    }
    secret = DEV_KEY;
  }
  const raw = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(`destinations|${secret}`));
  return crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']);
}

export async function seal(env: Pick<Env, 'DESTINATIONS_KEY'>, plain: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, await key(env), new TextEncoder().encode(plain)));
  return `v1.${b64(iv)}.${b64(ct)}`;
}

export async function open(env: Pick<Env, 'DESTINATIONS_KEY'>, box: string): Promise<string> {
  const [v, iv, ct] = box.split('.');
  if (v !== 'v1' || !iv || !ct) throw new Error('unreadable secret');
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: unb64(iv) }, await key(env), unb64(ct));
  return new TextDecoder().decode(plain);
}

/** A new Standard Webhooks signing secret: `whsec_` and 32 random bytes in base64. */
export const newWebhookSecret = () => `whsec_${b64(crypto.getRandomValues(new Uint8Array(32)))}`;

/** A destination's id: `dst_` and 16 random hex digits. */
export const newDestinationId = () =>
  `dst_${[...crypto.getRandomValues(new Uint8Array(8))].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
