/**
 * Download links for the CSV export: made behind the organizer token, valid briefly, for exactly the
 * effort or campaign they were made for; the download itself streams like the bearer-token export.
 */
import { env } from 'cloudflare:test';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { hmacHex } from '../src/crypto.ts';
import { EXPORT_LINK_TTL_S } from '../src/routes/admin.ts';
import { admin } from './admin-helpers.ts';
import { call, json, postJson, signer } from './helpers.ts';

const link = async (path: string) => {
  const res = await admin(path, { method: 'POST' });
  expect(res.status).toBe(200);
  return (await json(res)).data as { url: string; expiresAt: string };
};
/** The links' key as documented: HKDF-SHA-256 of the secret, salt "sanctuary-petition", info "download-links v1". */
async function derivedKey(secret: string) {
  const te = new TextEncoder();
  const base = await crypto.subtle.importKey('raw', te.encode(secret), 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: te.encode('sanctuary-petition'), info: te.encode('download-links v1') }, base, 256);
  return [...new Uint8Array(bits)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
const signed = (key: string, kind: string, slug: string, expires: number) =>
  hmacHex(key, `export-link|${kind}|${slug}|${expires}`).then((sig) => `/v1/downloads/${kind}/${slug}/signatures.csv?expires=${expires}&sig=${sig}`);
/** A link signed like the Worker's, for any expiry (to test expired and tampered ones). */
const forged = async (kind: string, slug: string, expires: number, token = env.ADMIN_TOKEN!) => signed(await derivedKey(token), kind, slug, expires);

describe('export download links', () => {
  it('downloads the effort’s signatures without a token, streamed, never cached', async () => {
    const s = signer({ email: `link.${crypto.randomUUID()}@example.org` });
    expect((await postJson('/v1/campaigns/skokie/signatures', s)).status).toBe(201);
    const { url, expiresAt } = await link('/efforts/expand-sanctuary/export-link');
    expect(url).toMatch(/^\/v1\/downloads\/efforts\/expand-sanctuary\/signatures\.csv\?expires=\d+&sig=[0-9a-f]{64}$/);
    const ttl = Date.parse(expiresAt) - Date.now();
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(EXPORT_LINK_TTL_S * 1000);
    const res = await call(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="signatures-expand-sanctuary-/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
    expect(rows.some((r) => r.email === s.email)).toBe(true);
  });

  it('a campaign’s link opens that campaign only', async () => {
    const { url } = await link('/campaigns/skokie/export-link');
    const res = await call(url);
    expect(res.status).toBe(200);
    const rows = parse(await res.text(), { columns: true }) as Record<string, string>[];
    expect(new Set(rows.map((r) => r.campaign))).toEqual(new Set(rows.length ? ['skokie'] : []));
    // The same signature on another slug or kind opens nothing.
    const other = url.replace('/campaigns/skokie/', '/campaigns/evanston/');
    expect((await call(other)).status).toBe(401);
    const effortWide = url.replace('/campaigns/skokie/', '/efforts/skokie/');
    expect((await call(effortWide)).status).toBe(401);
  });

  it('refuses expired, far-future, tampered and foreign-token links with 401 in the envelope', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const url of [
      await forged('efforts', 'expand-sanctuary', now - 1),
      await forged('efforts', 'expand-sanctuary', now + EXPORT_LINK_TTL_S + 3600),
      await forged('efforts', 'expand-sanctuary', now + 30, 'another-token-another-token-123'),
      // Keyed with the token itself, not the key derived from it.
      await signed(env.ADMIN_TOKEN!, 'efforts', 'expand-sanctuary', now + 30),
      (await forged('efforts', 'expand-sanctuary', now + 30)).replace(/sig=(.)/, (_, c: string) => `sig=${c === 'a' ? 'b' : 'a'}`),
    ]) {
      const res = await call(url);
      expect(res.status, url).toBe(401);
      expect((await json(res)).error.code).toBe('unauthorized');
    }
    expect((await call(await forged('efforts', 'expand-sanctuary', now + 30))).status).toBe(200);
  });

  it('answers malformed links with 400 and unknown slugs with 404', async () => {
    expect((await call('/v1/downloads/efforts/expand-sanctuary/signatures.csv?expires=abc&sig=zz')).status).toBe(400);
    expect((await call('/v1/downloads/everything/expand-sanctuary/signatures.csv?expires=1&sig=' + '0'.repeat(64))).status).toBe(400);
    const now = Math.floor(Date.now() / 1000);
    expect((await call(await forged('efforts', 'no-such-effort', now + 30))).status).toBe(404);
  });

  it('needs the token to make a link', async () => {
    expect((await admin('/efforts/expand-sanctuary/export-link', { method: 'POST' }, null)).status).toBe(401);
    expect((await admin('/efforts/expand-sanctuary/export-link', { method: 'POST' }, 'wrong-token-wrong-token-wrong')).status).toBe(401);
  });
});
