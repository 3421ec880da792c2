import { createMiddleware } from 'hono/factory';
import type { AppEnv, Env } from '../env.ts';
import { ApiError } from '../errors.ts';

/** The limiters' window in seconds, as in wrangler.toml (`simple = { limit, period }`): the Retry-After. */
export const RATE_LIMIT_PERIOD_S = 60;
/** READ_LIMITER's window in seconds (wrangler.toml): the Retry-After of a refused read. */
export const READ_LIMIT_PERIOD_S = 10;

/**
 * The key of a client: its IPv4 address, or the /64 network of an IPv6 address (one household or
 * phone holds a whole /64). Null without CF-Connecting-IP, which Cloudflare always sets in production.
 */
export function clientKey(ip: string | undefined | null): string | null {
  const value = ip?.trim();
  if (!value) return null;
  if (!value.includes(':')) return value;
  const [head = '', tail] = value.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => (g || '0').toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** RATE_LIMITS=off turns every limiter off (local benchmarks only); anything else keeps them on. */
const enabled = (env: Env) => env.RATE_LIMITS !== 'off';

/**
 * Keys a limiter has just refused, per isolate, with when the refusal ends: for REFUSED_MS the isolate
 * answers them 429 without asking the limiter again, so each request of a flood costs no call at all.
 * (Stricter than the limiter by at most REFUSED_MS at the end of a window; Retry-After is longer.)
 */
const refusedBy = new WeakMap<RateLimit, Map<string, number>>();
export const REFUSED_MS = 1000;
const MAX_REFUSED = 10_000;

/** Asks a Rate Limiting binding about `key`; over the limit → 429 rate_limited with Retry-After. */
export async function enforceLimit(
  env: Env,
  limiter: RateLimit | undefined,
  key: string,
  what: string,
  periodS = RATE_LIMIT_PERIOD_S,
): Promise<void> {
  if (!limiter || !enabled(env)) return;
  let refused = refusedBy.get(limiter);
  if (!refused) refusedBy.set(limiter, (refused = new Map()));
  const until = refused.get(key);
  const now = Date.now();
  let success = until !== undefined && until > now ? false : undefined;
  if (success === undefined) {
    success = (await limiter.limit({ key })).success;
    if (!success) {
      if (refused.size >= MAX_REFUSED) refused.clear();
      refused.set(key, now + REFUSED_MS);
    }
  }
  if (!success) {
    const wait = periodS >= 60 ? 'a minute' : 'a few seconds';
    throw new ApiError(429, 'rate_limited', `Too many ${what}. Please wait ${wait} and try again.`, undefined, {
      'Retry-After': String(periodS),
    });
  }
}

/** Per client IP, on every POST of the API (signing, starting a campaign). */
export const limitPostsByIp = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method === 'POST') {
    const key = clientKey(c.req.header('cf-connecting-ip'));
    if (key) await enforceLimit(c.env, c.env.IP_LIMITER, `ip:${key}`, 'requests from your network');
  }
  await next();
});

/**
 * Per client IP, on every public GET of the API (effort, campaign, lookup, download links; not the
 * organizer API behind its token, not static assets, which never reach the Worker). Generous for
 * people (READ_LIMITER in wrangler.toml: a page load is two reads, a search a few more), it turns a
 * flood from one client into 429s that cost one limiter call each and no D1 at all.
 */
export const limitReadsByIp = createMiddleware<AppEnv>(async (c, next) => {
  if ((c.req.method === 'GET' || c.req.method === 'HEAD') && !c.req.path.startsWith('/v1/admin/')) {
    const key = clientKey(c.req.header('cf-connecting-ip'));
    if (key) await enforceLimit(c.env, c.env.READ_LIMITER, `read:${key}`, 'requests from your network', READ_LIMIT_PERIOD_S);
  }
  await next();
});
