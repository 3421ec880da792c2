/**
 * Cloudflare Access sign-in for organizers: the `Cf-Access-Jwt-Assertion` JWT is verified against the
 * team's keys (here a local key standing in for them, see vitest.config.ts), its audience, issuer and
 * expiry; the organizer's email goes into the audit log of every change. ADMIN_TOKEN still works.
 */
import { env } from 'cloudflare:test';
import { SignJWT, generateKeyPair, importJWK, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { admin } from './admin-helpers.ts';
import { call, json } from './helpers.ts';

const ISSUER = 'https://sanctuary-test.cloudflareaccess.com';

async function accessJwt(over: { aud?: string; iss?: string; exp?: number; email?: string; key?: CryptoKey } = {}) {
  const jwk = JSON.parse(env.TEST_ACCESS_PRIVATE_JWK) as JWK;
  const key = over.key ?? ((await importJWK(jwk, 'RS256')) as CryptoKey);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ email: over.email ?? 'Organizer@Example.org', type: 'app' })
    .setProtectedHeader({ alg: 'RS256', kid: jwk.kid! })
    .setIssuer(over.iss ?? ISSUER)
    .setAudience(over.aud ?? env.ACCESS_AUD!)
    .setSubject('user-123')
    .setIssuedAt(now - 60)
    .setExpirationTime(over.exp ?? now + 600)
    .sign(key);
}

const withJwt = (path: string, jwt: string, init: RequestInit = {}) =>
  call(`/v1/admin${path}`, { ...init, headers: { ...(init.headers as Record<string, string>), 'cf-access-jwt-assertion': jwt } });

describe('Cloudflare Access sign-in', () => {
  it('a valid JWT signs the organizer in, and their email is in the audit log of what they change', async () => {
    const jwt = await accessJwt();
    const res = await withJwt('/efforts', jwt);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const patch = await withJwt('/efforts/expand-sanctuary', jwt, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ goal: 31_000 }),
    });
    expect(patch.status).toBe(200);
    const log = (await json(await withJwt('/audit', jwt))).data as { actor: string; action: string; subject: string; detail: unknown }[];
    expect(log[0]).toMatchObject({ actor: 'organizer@example.org', action: 'PATCH /efforts/:slug', subject: '/efforts/expand-sanctuary', detail: { fields: ['goal'] } });
    // Reads are not logged.
    expect(log.some((e) => e.action.startsWith('GET'))).toBe(false);
  });

  it('refuses a JWT for another application (audience), from another team (issuer), expired, or signed by another key', async () => {
    const other = (await generateKeyPair('RS256')).privateKey;
    for (const [why, jwt] of [
      ['wrong audience', await accessJwt({ aud: 'another-application-aud' })],
      ['wrong issuer', await accessJwt({ iss: 'https://another-team.cloudflareaccess.com' })],
      ['expired', await accessJwt({ exp: Math.floor(Date.now() / 1000) - 120 })],
      ['another key', await accessJwt({ key: other })],
      ['not a JWT', 'not.a.jwt'],
    ] as const) {
      const res = await withJwt('/efforts', jwt);
      expect(res.status, why).toBe(401);
      expect((await json(res)).error.code, why).toBe('unauthorized');
    }
  });

  it('a missing JWT and no token is 401; the token alone still works for scripts, logged as "token"', async () => {
    const none = await call('/v1/admin/efforts');
    expect(none.status).toBe(401);
    expect((await json(none)).error.message).toMatch(/Cloudflare Access/);
    const res = await admin('/efforts/expand-sanctuary', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ goal: 32_000 }) });
    expect(res.status).toBe(200);
    const log = (await json(await admin('/audit?limit=1'))).data;
    expect(log[0]).toMatchObject({ actor: 'token', action: 'PATCH /efforts/:slug' });
  });

  it('a failed change is not logged as done', async () => {
    const before = (await json(await admin('/audit?limit=1'))).data[0]?.id ?? 0;
    const bad = await admin('/efforts/expand-sanctuary', { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ goal: -1 }) });
    expect(bad.status).toBe(400);
    expect((await json(await admin('/audit?limit=1'))).data[0]?.id ?? 0).toBe(before);
  });
});

describe('the organizer and start pages as static assets', () => {
  it('may not be framed by any site (frame-ancestors none, X-Frame-Options DENY)', async () => {
    for (const path of ['/admin/', '/start/']) {
      const res = await env.ASSETS.fetch(`https://sanctuary.test${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-security-policy'), path).toBe("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
    }
    // The widget stays loadable by any partner page.
    expect((await env.ASSETS.fetch('https://sanctuary.test/widget.js')).headers.get('access-control-allow-origin')).toBe('*');
  });
});
