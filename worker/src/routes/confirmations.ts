/**
 * Email confirmation links: GET /v1/confirm/:token shows a page with a "Confirm my signature" button,
 * and only that button's POST (to the same URL) confirms. Mail scanners (Outlook, Defender, …) follow
 * every link in an email with a GET: they see the page and confirm nothing. Confirming twice is harmless.
 * Pages, not JSON: served under a CSP of their own (PAGE_CSP, set in index.ts), never cached.
 */
import { Hono, type Context } from 'hono';
import { purgeCached } from '../cache.ts';
import { confirmCampaign, confirmSignature, getToken, type TokenRow } from '../db/confirmations.ts';
import type { AppEnv } from '../env.ts';
import { TOKEN_PATTERN, subjectOf, tokenHash } from '../confirmation/mailer.ts';
import { confirmPage, confirmedPage, invalidPage } from '../confirmation/page.ts';

export const confirmations = new Hono<AppEnv>();

const html = (c: Context<AppEnv>, body: string, status: 200 | 404 = 200) =>
  c.body(body, status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });

/** The visitor's language for a link that leads nowhere (no row to read it from). */
const requestLang = (c: Context<AppEnv>) => (/^es\b/i.test(c.req.header('accept-language') ?? '') ? 'es' : 'en');

async function lookup(c: Context<AppEnv>): Promise<{ row: TokenRow; hash: string } | null> {
  const token = c.req.param('token') ?? '';
  if (!TOKEN_PATTERN.test(token)) return null;
  const hash = await tokenHash(token);
  const row = await getToken(c.env.DB, hash);
  return row ? { row, hash } : null;
}

const subject = (row: TokenRow) => subjectOf({ kind: row.purpose, ...row });

confirmations.get('/:token', async (c) => {
  const found = await lookup(c);
  if (!found) return html(c, invalidPage(requestLang(c)), 404);
  const { row } = found;
  return html(c, confirmPage(row.lang ?? 'en', subject(row), row.confirmed_at !== null));
});

confirmations.post('/:token', async (c) => {
  const found = await lookup(c);
  if (!found) return html(c, invalidPage(requestLang(c)), 404);
  const { row, hash } = found;
  const first =
    row.purpose === 'signature' ? await confirmSignature(c.env.DB, row.subject_id, hash) : await confirmCampaign(c.env.DB, row.subject_id, hash);
  // The counts (or the campaign's status) changed: the cached public answers must not hide it.
  if (first) c.executionCtx.waitUntil(purgeCached(new URL(c.req.url).origin, { campaign: row.campaign_slug, effort: row.effort_slug }));
  return html(c, confirmedPage(row.lang ?? 'en', subject(row), first));
});
