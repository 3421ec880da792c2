/**
 * What the public forms (signing, starting a campaign) share beyond validation: the abuse signals
 * (honeypot, minimum time, optional Turnstile) and Idempotency-Keys. See docs/reliability.md.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { DEV_EMAIL_HASH_KEY, hmacHex } from './crypto.ts';
import { getIdempotentResponse, type StoredResponse } from './db/idempotency.ts';
import type { AppEnv, Env } from './env.ts';
import { ApiError } from './errors.ts';
import { verifyTurnstile } from './turnstile.ts';

export interface HumanSignals {
  website?: string;
  elapsedMs?: number;
  turnstileToken?: string;
}

export const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,128}$/, 'Use 8 to 128 letters, digits, "-" or "_" (a UUID is ideal).')
    .optional(),
});

const DEFAULT_MIN_SUBMIT_MS = 3000;

/** MIN_SUBMIT_MS as a whole number of milliseconds (default 3000; "0" turns the check off). */
export function minSubmitMs(env: Env): number {
  const ms = Number(env.MIN_SUBMIT_MS ?? DEFAULT_MIN_SUBMIT_MS);
  return Number.isInteger(ms) && ms >= 0 ? ms : DEFAULT_MIN_SUBMIT_MS;
}

/** Why a submission is suspect: 'honeypot', 'too_fast', or both ("honeypot,too_fast"); null when it is not. */
export type HeldReason = string | null;

/**
 * The abuse signals of a public form. No signal on its own discards anyone (a password manager may fill
 * the honeypot, autofill is fast): a suspect submission is stored, marked with why (the reason this
 * returns) and held out of the counts until its sender confirms by email. A passed Turnstile check
 * outweighs the other signals (null). With TURNSTILE_SECRET set, a missing or failed token is a 400/403
 * (503 when Cloudflare cannot check it): the visitor sees it and can try again.
 */
export async function humanCheck(c: Context<AppEnv>, signals: HumanSignals, what: string): Promise<HeldReason> {
  const reasons: string[] = [];
  if (signals.website?.trim()) reasons.push('honeypot');
  if (signals.elapsedMs !== undefined && signals.elapsedMs < minSubmitMs(c.env)) reasons.push('too_fast');
  if (c.env.TURNSTILE_SECRET) {
    if (!signals.turnstileToken) {
      throw new ApiError(400, 'validation_failed', 'Some fields need attention.', [
        { path: 'turnstileToken', message: 'Complete the check that you are not a robot.' },
      ]);
    }
    const check = await verifyTurnstile(c.env.TURNSTILE_SECRET, signals.turnstileToken, c.req.header('cf-connecting-ip') ?? null);
    if (!check.ok && check.reason === 'unavailable') {
      throw new ApiError(503, 'challenge_unavailable', 'We could not check that you are not a robot. Please try again.');
    }
    if (!check.ok) throw new ApiError(403, 'challenge_failed', 'The check that you are not a robot failed. Please try again.');
    return null;
  }
  if (!reasons.length) return null;
  console.log(`[sanctuary-petition] ${what} held until confirmed: ${reasons.join(', ')}`);
  return reasons.join(',');
}

/** True when a development var says this Worker runs locally (npm start, tests): the development key may be used. */
export const isLocalDevelopment = (env: Env) => env.LOCAL_DEVELOPMENT === 'true';

let warnedDevKey = false;
/**
 * The secret of the email blind index and of request hashes: EMAIL_HASH_KEY. Without it, only a Worker
 * marked as local (LOCAL_DEVELOPMENT = "true") falls back to the development key, which is in the
 * repository; anywhere else writes are refused (see requireEmailHashKey in index.ts) and this throws.
 */
export function emailHashKey(env: Env): string {
  if (env.EMAIL_HASH_KEY) return env.EMAIL_HASH_KEY;
  if (!isLocalDevelopment(env)) throw missingKeyError();
  if (!warnedDevKey) {
    warnedDevKey = true;
    console.warn('[sanctuary-petition] EMAIL_HASH_KEY is not set: using the development key (LOCAL_DEVELOPMENT is "true").');
  }
  return DEV_EMAIL_HASH_KEY;
}

export const missingKeyError = () =>
  new ApiError(500, 'not_configured', 'This server is not configured to accept signatures yet (its operators must set EMAIL_HASH_KEY).');

let loggedMissingKey = false;
/** Middleware: a write without EMAIL_HASH_KEY outside local development is a 500 envelope, logged once per isolate. */
export async function requireEmailHashKey(c: Context<AppEnv>, next: () => Promise<void>) {
  const write = !['GET', 'HEAD', 'OPTIONS'].includes(c.req.method);
  if (write && !c.env.EMAIL_HASH_KEY && !isLocalDevelopment(c.env)) {
    if (!loggedMissingKey) {
      loggedMissingKey = true;
      console.error(
        '[sanctuary-petition] refusing writes: the EMAIL_HASH_KEY secret is not set. Set it with `wrangler secret put EMAIL_HASH_KEY` ' +
          '(only a local Worker, LOCAL_DEVELOPMENT = "true", may run on the development key).',
      );
    }
    throw missingKeyError();
  }
  await next();
}

/** The language of a visitor who did not say (an API client): Spanish when Accept-Language prefers it, else English. */
export const acceptLanguage = (header: string | undefined): 'en' | 'es' => (/^\s*es\b/i.test(header ?? '') ? 'es' : 'en');

/** A request's identity under an Idempotency-Key: keyed, so the stored hash reveals nothing of who sent it. */
export const requestHashOf = (env: Env, parts: unknown[]) => hmacHex(emailHashKey(env), JSON.stringify(parts));

/** The answer first given under an Idempotency-Key, or 422 if the key is reused for another request. */
export function replay(prior: StoredResponse, requestHash: string, replayed: boolean): Response {
  if (prior.request_hash !== requestHash) {
    throw new ApiError(422, 'idempotency_mismatch', 'This Idempotency-Key was already used for a different request.');
  }
  return new Response(prior.response, {
    status: prior.status,
    headers: { 'content-type': 'application/json', ...(replayed ? { 'idempotent-replayed': 'true' } : {}) },
  });
}

/**
 * A twin of a request still being served under the same key: waits (up to ~2 s) for the first one's
 * answer and gives it; 409 if it is still not there (the client retries with the same key).
 */
export async function awaitReplay(db: D1Database, key: string, requestHash: string): Promise<Response> {
  for (let i = 0; i < 20; i++) {
    const prior = await getIdempotentResponse(db, key);
    if (prior && (prior.request_hash !== requestHash || prior.response !== '')) return replay(prior, requestHash, true);
    if (!prior) break; // the first request failed and gave the key back
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new ApiError(409, 'idempotency_in_progress', 'The same request is still being processed. Try again in a moment with the same Idempotency-Key.');
}
