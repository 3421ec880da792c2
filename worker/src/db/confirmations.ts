/**
 * SQL of email confirmation: tokens (stored as their SHA-256 only), the email outbox (what is owed,
 * swept until sent) and the confirmation itself. Knows nothing of HTTP.
 */
import { eventStatement } from './events.ts';

export type ConfirmationKind = 'signature' | 'campaign';

/** An email owed, with what it must say. */
export interface OwedEmailRow {
  id: number;
  kind: ConfirmationKind;
  subject_id: number;
  lang: string;
  base_url: string;
  attempts: number;
  created_at: string;
  /** The recipient ('' once retention has removed it). */
  email: string | null;
  first_name: string | null;
  confirmed_at: string | null;
  title: string | null;
  target_title: string | null;
  target_name: string | null;
  town: string | null;
  state: string | null;
}

const OWED_COLUMNS = `o.id, o.kind, o.subject_id, o.lang, o.base_url, o.attempts, o.created_at,
  CASE o.kind WHEN 'signature' THEN s.email ELSE c.creator_email END AS email,
  CASE o.kind WHEN 'signature' THEN s.first_name ELSE NULL END AS first_name,
  CASE o.kind WHEN 'signature' THEN s.confirmed_at ELSE c.creator_confirmed_at END AS confirmed_at,
  c.title, c.target_title, c.target_name, c.town, c.state`;
const OWED_FROM = `email_outbox o
  LEFT JOIN signatures s ON o.kind = 'signature' AND s.id = o.subject_id
  LEFT JOIN campaigns c ON c.id = CASE o.kind WHEN 'signature' THEN s.campaign_id ELSE o.subject_id END`;

/**
 * Leases owed emails for sending: the given ids (right after the request that owed them), or every one
 * due (the cron). Leasing moves next_attempt_at `leaseSeconds` ahead and counts the attempt, so the
 * request's own send and a cron run never send the same email twice at once; a send that dies half-way
 * is picked up again once the lease is over.
 */
export async function leaseOwedEmails(db: D1Database, ids: number[] | null, limit: number, leaseSeconds = 600): Promise<OwedEmailRow[]> {
  const leased = await db
    .prepare(
      `UPDATE email_outbox
          SET attempts = attempts + 1,
              next_attempt_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+' || ?3 || ' seconds')
        WHERE id IN (SELECT id FROM email_outbox
                      WHERE sent_at IS NULL AND next_attempt_at <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
                        AND (?1 IS NULL OR id IN (SELECT value FROM json_each(?1)))
                      ORDER BY next_attempt_at LIMIT ?2)
       RETURNING id`,
    )
    .bind(ids ? JSON.stringify(ids) : null, limit, leaseSeconds)
    .all<{ id: number }>();
  if (!leased.results.length) return [];
  const { results } = await db
    .prepare(`SELECT ${OWED_COLUMNS} FROM ${OWED_FROM} WHERE o.id IN (SELECT value FROM json_each(?1)) ORDER BY o.id`)
    .bind(JSON.stringify(leased.results.map((r) => r.id)))
    .all<OwedEmailRow>();
  return results;
}

/** A confirmation token for one row and one purpose: only its hash is stored. */
export const insertToken = (db: D1Database, tokenHash: string, kind: ConfirmationKind, subjectId: number, expiresAt: string) =>
  db
    .prepare('INSERT INTO confirmation_tokens (token_hash, purpose, subject_id, expires_at) VALUES (?1, ?2, ?3, ?4)')
    .bind(tokenHash, kind, subjectId, expiresAt)
    .run();

export const deleteToken = (db: D1Database, tokenHash: string) =>
  db.prepare('DELETE FROM confirmation_tokens WHERE token_hash = ?1').bind(tokenHash).run();

/** Sent (or no longer needed: `note` says why): the row is done. */
export const markEmailSent = (db: D1Database, id: number, messageId: string | null, note: string | null = null) =>
  db
    .prepare(`UPDATE email_outbox SET sent_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), message_id = ?2, last_error = ?3 WHERE id = ?1`)
    .bind(id, messageId, note)
    .run();

/** A failed send: stays owed, tried again after `retryInSeconds` (the cron sweeps it). */
export const markEmailFailed = (db: D1Database, id: number, error: string, retryInSeconds: number) =>
  db
    .prepare(
      `UPDATE email_outbox SET last_error = ?2, next_attempt_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+' || ?3 || ' seconds')
        WHERE id = ?1`,
    )
    .bind(id, error.slice(0, 500), retryInSeconds)
    .run();

/** How many emails are owed and not sent (for the cron's log line and the tests). */
export const countOwedEmails = async (db: D1Database) =>
  (await db.prepare('SELECT count(*) AS n FROM email_outbox WHERE sent_at IS NULL').first<{ n: number }>())?.n ?? 0;

/** What a confirmation link is for: the row it confirms and what the page shows about it. */
export interface TokenRow {
  purpose: ConfirmationKind;
  subject_id: number;
  expires_at: string;
  lang: string | null;
  first_name: string | null;
  confirmed_at: string | null;
  campaign_id: number;
  campaign_slug: string;
  effort_slug: string;
  title: string;
  target_title: string;
  target_name: string;
  town: string;
  state: string;
}

/** The token's row if it exists and has not expired (null otherwise). */
export const getToken = (db: D1Database, tokenHash: string) =>
  db
    .prepare(
      `SELECT t.purpose, t.subject_id, t.expires_at,
              CASE t.purpose WHEN 'signature' THEN s.lang ELSE c.creator_lang END AS lang,
              s.first_name,
              CASE t.purpose WHEN 'signature' THEN s.confirmed_at ELSE c.creator_confirmed_at END AS confirmed_at,
              c.id AS campaign_id, c.slug AS campaign_slug, e.slug AS effort_slug,
              c.title, c.target_title, c.target_name, c.town, c.state
         FROM confirmation_tokens t
         LEFT JOIN signatures s ON t.purpose = 'signature' AND s.id = t.subject_id
         JOIN campaigns c ON c.id = CASE t.purpose WHEN 'signature' THEN s.campaign_id ELSE t.subject_id END
         JOIN efforts e ON e.id = c.effort_id
        WHERE t.token_hash = ?1 AND t.expires_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    )
    .bind(tokenHash)
    .first<TokenRow>();

/**
 * Confirms a signature in one batch: the campaign's confirmed count moves by one and its signature
 * count by one if the signature was not counted yet (held, or an effort that counts confirmed ones
 * only); then the row is confirmed and counted. A second confirmation changes nothing. True the first time.
 */
export async function confirmSignature(db: D1Database, signatureId: number, tokenHash: string): Promise<boolean> {
  const [, confirmed] = await db.batch([
    db
      .prepare(
        `UPDATE campaigns
            SET signature_count = signature_count + (SELECT 1 - counted FROM signatures WHERE id = ?1),
                confirmed_count = confirmed_count + 1
          WHERE id = (SELECT campaign_id FROM signatures WHERE id = ?1 AND confirmed_at IS NULL)`,
      )
      .bind(signatureId),
    db
      .prepare(`UPDATE signatures SET confirmed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), counted = 1 WHERE id = ?1 AND confirmed_at IS NULL`)
      .bind(signatureId),
    db
      .prepare(`UPDATE confirmation_tokens SET used_at = coalesce(used_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) WHERE token_hash = ?1`)
      .bind(tokenHash),
    // The outbox (issue 14): the confirmation's event, in the confirming transaction (once per signature).
    eventStatement(db, 'signature.confirmed', signatureId),
  ]);
  return confirmed!.meta.changes > 0;
}

/**
 * Confirms a new campaign's creator: a campaign held for a suspect signal becomes what its effort's
 * moderation makes a supporter's campaign ('unlisted' after the fact, 'pending' before). True the first time.
 */
export async function confirmCampaign(db: D1Database, campaignId: number, tokenHash: string): Promise<boolean> {
  const [confirmed] = await db.batch([
    db
      .prepare(
        `UPDATE campaigns
            SET creator_confirmed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                status = CASE WHEN held_reason IS NOT NULL AND status = 'pending'
                              AND (SELECT moderation FROM efforts WHERE id = campaigns.effort_id) = 'post'
                         THEN 'unlisted' ELSE status END
          WHERE id = ?1 AND creator_confirmed_at IS NULL`,
      )
      .bind(campaignId),
    db
      .prepare(`UPDATE confirmation_tokens SET used_at = coalesce(used_at, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) WHERE token_hash = ?1`)
      .bind(tokenHash),
  ]);
  return confirmed!.meta.changes > 0;
}

/** Owes a confirmation email to a new campaign's creator (one per campaign). */
export const oweCampaignEmail = (db: D1Database, slug: string, lang: string, baseUrl: string) =>
  db
    .prepare(
      `INSERT INTO email_outbox (kind, subject_id, lang, base_url)
       SELECT 'campaign', id, ?2, ?3 FROM campaigns WHERE slug = ?1 AND creator_email IS NOT NULL RETURNING id`,
    )
    .bind(slug, lang, baseUrl)
    .first<{ id: number }>();

/**
 * An effort's counting rule applied to its signatures again (after organizers change it): a signature
 * is counted when it is confirmed, or when it is not held and the effort counts at once. The campaigns'
 * counts are recomputed from the rows (the trigger carries each change to the effort's total).
 */
export async function recountEffort(db: D1Database, effortId: number) {
  await db.batch([
    db
      .prepare(
        `UPDATE signatures
            SET counted = (confirmed_at IS NOT NULL
                           OR (held_reason IS NULL AND (SELECT counting FROM efforts WHERE id = ?1) = 'at_once'))
          WHERE campaign_id IN (SELECT id FROM campaigns WHERE effort_id = ?1)`,
      )
      .bind(effortId),
    db
      .prepare(
        `UPDATE campaigns
            SET signature_count = imported_count + (SELECT count(*) FROM signatures s WHERE s.campaign_id = campaigns.id AND s.counted = 1)
          WHERE effort_id = ?1`,
      )
      .bind(effortId),
  ]);
}

/** Tokens expired by `now` and emails sent before `sentBefore` (the retention job). */
export async function deleteOldConfirmationRows(db: D1Database, now: string, sentBefore: string) {
  const [tokens, outbox] = await db.batch([
    db.prepare('DELETE FROM confirmation_tokens WHERE expires_at < ?1').bind(now),
    db.prepare('DELETE FROM email_outbox WHERE sent_at IS NOT NULL AND sent_at < ?1').bind(sentBefore),
  ]);
  return tokens!.meta.changes + outbox!.meta.changes;
}
