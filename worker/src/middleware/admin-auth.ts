/**
 * Who may use the organizer API (/v1/admin), and as whom:
 *  - In production, Cloudflare Access in front of /admin/ and /v1/admin/: every request carries the
 *    `Cf-Access-Jwt-Assertion` JWT, verified here against the team's signing keys (jose, RS256),
 *    its audience (the Access application's AUD tag, ACCESS_AUD) and its issuer. The organizer is the
 *    token's `email`, recorded in the audit log of every change.
 *  - For scripts and local use, `Authorization: Bearer <ADMIN_TOKEN>` (the organizer is "token").
 * A request with neither, or with a JWT that fails any check, is 401 in the one envelope.
 */
import { createMiddleware } from 'hono/factory';
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { AppEnv, Env } from '../env.ts';
import { errorBody } from '../errors.ts';

const encoder = new TextEncoder();
const digest = (s: string) => crypto.subtle.digest('SHA-256', encoder.encode(s));

/**
 * True when `given` is the token. Both sides are hashed first, so the constant-time comparison
 * (workerd's crypto.subtle.timingSafeEqual) always sees 32 bytes: neither the token's length nor
 * the position of the first wrong character shows in the timing.
 */
export async function tokenMatches(given: string, token: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(given), digest(token)]);
  return crypto.subtle.timingSafeEqual(a, b);
}

/** "myteam" or "myteam.cloudflareaccess.com" → "https://myteam.cloudflareaccess.com". */
export const accessIssuer = (team: string) => `https://${team.includes('.') ? team : `${team}.cloudflareaccess.com`}`;

/** The team's signing keys: fetched from /cdn-cgi/access/certs and cached by jose (rotations are followed). */
const remoteKeys = new Map<string, JWTVerifyGetKey>();

/**
 * Where the Access signing keys come from: the team's certs URL, or (tests and local runs only) the
 * JWKS in ACCESS_JWKS, which replaces the team's keys and must never be set in production.
 */
function accessKeys(env: Env): JWTVerifyGetKey {
  if (env.ACCESS_JWKS) return createLocalJWKSet(JSON.parse(env.ACCESS_JWKS));
  const url = `${accessIssuer(env.ACCESS_TEAM_DOMAIN!)}/cdn-cgi/access/certs`;
  let keys = remoteKeys.get(url);
  if (!keys) {
    keys = createRemoteJWKSet(new URL(url));
    remoteKeys.set(url, keys);
  }
  return keys;
}

/** The organizer's email from a valid Access JWT, or null (no Access configured, bad or expired JWT). */
export async function accessEmail(env: Env, jwt: string): Promise<string | null> {
  if (!env.ACCESS_AUD || !env.ACCESS_TEAM_DOMAIN) return null;
  try {
    const { payload } = await jwtVerify(jwt, accessKeys(env), {
      audience: env.ACCESS_AUD,
      issuer: accessIssuer(env.ACCESS_TEAM_DOMAIN),
      algorithms: ['RS256'],
    });
    return typeof payload.email === 'string' && payload.email.includes('@') ? payload.email.toLowerCase() : null;
  } catch {
    return null;
  }
}

let warnedUnset = false;

const unauthorized = (message: string) => ({
  body: errorBody('unauthorized', message),
  headers: { 'www-authenticate': 'Bearer realm="sanctuary-petition admin"', 'cache-control': 'no-store' },
});

/** The organizer API's guard; sets `actor` (the Access email, or "token") for the audit log. */
export const adminAuth = createMiddleware<AppEnv>(async (c, next) => {
  const token = c.env.ADMIN_TOKEN ?? '';
  const accessOn = !!(c.env.ACCESS_AUD && c.env.ACCESS_TEAM_DOMAIN);
  if (token.length < 16 && !accessOn && !warnedUnset) {
    warnedUnset = true;
    console.warn('[sanctuary-petition] Neither Cloudflare Access (ACCESS_TEAM_DOMAIN, ACCESS_AUD) nor an ADMIN_TOKEN of 16+ characters is set: the organizer API refuses every request. See docs/deployment.md.');
  }
  const jwt = c.req.header('cf-access-jwt-assertion');
  let actor: string | null = null;
  if (jwt && accessOn) {
    actor = await accessEmail(c.env, jwt);
    if (!actor) {
      const u = unauthorized('Your Cloudflare Access sign-in is not valid for this application (or has expired): sign in again.');
      return c.json(u.body, 401, u.headers);
    }
  } else {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(c.req.header('authorization') ?? '');
    if (token.length >= 16 && match && (await tokenMatches(match[1]!, token))) actor = 'token';
  }
  if (!actor) {
    const u = unauthorized(
      accessOn ? 'Sign in through Cloudflare Access, or send a valid organizer token (Authorization: Bearer …).' : 'A valid organizer token is required (Authorization: Bearer …).',
    );
    return c.json(u.body, 401, u.headers);
  }
  c.set('actor', actor);
  await next();
  // Organizer answers hold personal data: no cache may keep them.
  c.res.headers.set('cache-control', 'no-store');
});
