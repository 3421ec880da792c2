/**
 * Confirmation emails through Cloudflare Email Service (the `EMAIL` send_email binding). What is owed
 * is a row in email_outbox, written in the same transaction as the signature; this module sends it
 * (right after the answer, and again from the cron while it fails). A token is made for each send and
 * only its hash is stored: the token itself exists only in the email.
 */
import { sha256Hex } from '../crypto.ts';
import {
  deleteToken,
  insertToken,
  leaseOwedEmails,
  markEmailFailed,
  markEmailSent,
  type OwedEmailRow,
} from '../db/confirmations.ts';
import type { Env } from '../env.ts';
import { redact } from '../errors.ts';
import { TEXTS, escapeHtml, langOf, type Subject } from './texts.ts';

export const TOKEN_DAYS = 30;
/** An email owed for longer than this is given up on (and logged as such): its link would have expired. */
export const GIVE_UP_DAYS = 30;
const DAY_MS = 86_400_000;

/** 32 random bytes, URL-safe: unguessable. */
export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
export const tokenHash = (token: string) => sha256Hex(`confirmation|${token}`);

export const confirmationLink = (baseUrl: string, token: string) => `${baseUrl}/v1/confirm/${token}`;

export function subjectOf(row: Pick<OwedEmailRow, 'kind' | 'first_name' | 'title' | 'target_title' | 'target_name' | 'town' | 'state'>): Subject {
  return {
    kind: row.kind,
    firstName: row.first_name ?? '',
    title: row.title ?? '',
    official: `${row.target_title ?? ''} ${row.target_name ?? ''}`.trim(),
    place: `${row.town ?? ''}, ${row.state ?? ''}`,
  };
}

/** The email: plain text and HTML, in the language the signature was made in. */
export function renderEmail(lang: string, subject: Subject, link: string) {
  const t = TEXTS[langOf(lang)];
  const greeting = subject.firstName ? t.greeting(subject.firstName) : '';
  const text = [greeting, t.intro(subject), '', t.action, link, '', t.expiry, t.ignore].filter((l, i) => l || i > 0).join('\n');
  const html = `<!doctype html><html lang="${langOf(lang)}"><body>
${greeting ? `<p>${escapeHtml(greeting)}</p>` : ''}
<p>${escapeHtml(t.intro(subject))}</p>
<p>${escapeHtml(t.action)}<br><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>
<p>${escapeHtml(t.expiry)} ${escapeHtml(t.ignore)}</p>
</body></html>`;
  return { subject: t.subject(subject), text, html };
}

/** Seconds before the next try of an email that failed `attempts` times: 1, 2, 4 … minutes, at most 6 hours. */
export const retryDelaySeconds = (attempts: number) => Math.min(60 * 2 ** Math.max(0, attempts - 1), 6 * 3600);

export interface DeliveryReport {
  sent: number;
  failed: number;
  skipped: number;
  gaveUp: number;
}

let warnedNoBinding = false;

/**
 * Sends owed emails: `ids` (those a request just owed) or, with null, every one that is due (the cron),
 * up to `limit`. Never throws: a failure stays owed with its error, to be tried again.
 */
export async function deliverOwedEmails(
  env: Pick<Env, 'DB' | 'EMAIL' | 'EMAIL_FROM' | 'EMAIL_FROM_NAME'>,
  ids: number[] | null,
  limit = 50,
  now = new Date(),
): Promise<DeliveryReport> {
  const report: DeliveryReport = { sent: 0, failed: 0, skipped: 0, gaveUp: 0 };
  if (ids && !ids.length) return report;
  if (!env.EMAIL || !env.EMAIL_FROM) {
    if (!warnedNoBinding) {
      warnedNoBinding = true;
      console.error('[sanctuary-petition] confirmation emails are owed but not sent: set the EMAIL binding ([[send_email]]) and EMAIL_FROM in wrangler.toml.');
    }
    return report;
  }
  let rows: OwedEmailRow[];
  try {
    rows = await leaseOwedEmails(env.DB, ids, limit);
  } catch (e) {
    console.error('[sanctuary-petition] could not read owed emails:', redact((e as Error).message));
    return report;
  }
  for (const row of rows) {
    // Nothing to send any more: confirmed meanwhile, forgotten by retention, or its row gone.
    if (!row.email || row.confirmed_at || row.title === null) {
      await markEmailSent(env.DB, row.id, null, row.confirmed_at ? 'already confirmed' : 'no recipient');
      report.skipped++;
      continue;
    }
    if (now.getTime() - Date.parse(row.created_at) > GIVE_UP_DAYS * DAY_MS) {
      // Not silent: logged with its id, and the signature stays unconfirmed in the export.
      await markEmailFailed(env.DB, row.id, 'given up after 30 days', 100 * 365 * 86400);
      console.error(`[sanctuary-petition] confirmation email ${row.id} given up after ${row.attempts} attempts`);
      report.gaveUp++;
      continue;
    }
    const token = newToken();
    const hash = await tokenHash(token);
    try {
      await insertToken(env.DB, hash, row.kind, row.subject_id, new Date(now.getTime() + TOKEN_DAYS * DAY_MS).toISOString());
      const mail = renderEmail(row.lang, subjectOf(row), confirmationLink(row.base_url, token));
      const result = await env.EMAIL.send({
        from: { name: env.EMAIL_FROM_NAME || 'Sanctuary Petition', email: env.EMAIL_FROM },
        to: row.email,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      });
      await markEmailSent(env.DB, row.id, result?.messageId ?? null);
      report.sent++;
    } catch (e) {
      report.failed++;
      const message = redact((e as Error)?.message ?? String(e));
      console.error(`[sanctuary-petition] confirmation email ${row.id} failed (attempt ${row.attempts}), will retry:`, message);
      try {
        await deleteToken(env.DB, hash);
        await markEmailFailed(env.DB, row.id, message, retryDelaySeconds(row.attempts));
      } catch {
        // The lease runs out and the cron tries again.
      }
    }
  }
  return report;
}
