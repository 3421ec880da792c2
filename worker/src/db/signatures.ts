/** SQL for signatures (and their idempotency keys, claimed in the same batch). Knows nothing of HTTP. */
import type { StoredResponse } from './idempotency.ts';

export interface NewSignature {
  campaignId: number;
  firstName: string;
  lastName: string;
  email: string;
  emailHash: string;
  zip: string;
  phone: string | null;
  partner: string | null;
  consentPartner: boolean;
  consentEffort: boolean;
  /** This signature's own random code for share links. */
  referralCode: string;
  /** The referral code it arrived through, if any. */
  referredBy: string | null;
}

export interface PublicSignerRow {
  first_name: string;
  last_initial: string;
  created_at: string;
}

/** The most recent signers, public form only: the last name never leaves the database whole. */
export const recentSigners = async (db: D1Database, campaignId: number, limit = 5) =>
  (
    await db
      .prepare(
        `SELECT first_name, substr(last_name, 1, 1) AS last_initial, created_at
           FROM signatures WHERE campaign_id = ?1
          ORDER BY created_at DESC, id DESC LIMIT ?2`,
      )
      .bind(campaignId, limit)
      .all<PublicSignerRow>()
  ).results;


/**
 * Records a signature in one batch (one transaction, so concurrent requests are serialised):
 *  1. with an idempotency key, the key is claimed first (first writer wins; its answer is filled in at 5);
 *  2. the row, unless this email already signed this campaign (ON CONFLICT DO NOTHING), and, under a
 *     key, only if the key belongs to this very request (same request hash): a racing request that
 *     reuses the key with another body inserts nothing and is answered 422 by the caller;
 *  3. the campaign's count moves by changes(): 1 for a new signature, 0 for a repeat or a refused key
 *     (a trigger carries the same delta to the effort's total);
 *  4. the count is read back;
 *  5. under a key, the answer is stored once and read back, so racing retries all give the same answer.
 * Returns the response body's data, whether the row was new and whether this call claimed the key.
 */
export async function recordSignature(
  db: D1Database,
  sig: NewSignature,
  idempotency: { key: string; requestHash: string; status: number } | null,
): Promise<{ signatureCount: number; goal: number; created: boolean; claimedKey: boolean; stored: StoredResponse | null }> {
  const key = idempotency?.key ?? null;
  const requestHash = idempotency?.requestHash ?? null;
  const insert = db
    .prepare(
      `INSERT INTO signatures (campaign_id, first_name, last_name, email, email_hash, zip, phone, partner,
                               consent_partner, consent_effort, referral_code, referred_by)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?13, ?14
        WHERE ?11 IS NULL
           OR EXISTS (SELECT 1 FROM idempotency_keys WHERE key = ?11 AND request_hash = ?12)
       ON CONFLICT (campaign_id, email_hash) DO NOTHING`,
    )
    .bind(
      sig.campaignId,
      sig.firstName,
      sig.lastName,
      sig.email,
      sig.emailHash,
      sig.zip,
      sig.phone,
      sig.partner,
      sig.consentPartner ? 1 : 0,
      sig.consentEffort ? 1 : 0,
      key,
      requestHash,
      sig.referralCode,
      sig.referredBy,
    );
  const count = [
    db
      .prepare('UPDATE campaigns SET signature_count = signature_count + changes() WHERE id = ?1')
      .bind(sig.campaignId),
    db.prepare('SELECT signature_count, goal FROM campaigns WHERE id = ?1').bind(sig.campaignId),
  ];
  if (!idempotency) {
    const [inserted, , read] = await db.batch([insert, ...count]);
    const counts = read!.results[0] as { signature_count: number; goal: number };
    return { signatureCount: counts.signature_count, goal: counts.goal, created: inserted!.meta.changes > 0, claimedKey: false, stored: null };
  }
  const results = await db.batch([
    db
      .prepare(
        `INSERT INTO idempotency_keys (key, request_hash, status, response) VALUES (?1, ?2, ?3, '')
         ON CONFLICT (key) DO NOTHING`,
      )
      .bind(idempotency.key, idempotency.requestHash, idempotency.status),
    insert,
    ...count,
    db
      .prepare(
        `UPDATE idempotency_keys
            SET response = (SELECT json_object('data', json_object('campaign', slug, 'signatureCount', signature_count,
                                                                   'goal', goal, 'referralCode', ?4))
                              FROM campaigns WHERE id = ?3)
          WHERE key = ?1 AND request_hash = ?2 AND response = ''`,
      )
      .bind(idempotency.key, idempotency.requestHash, sig.campaignId, sig.referralCode),
    db.prepare('SELECT request_hash, status, response FROM idempotency_keys WHERE key = ?1').bind(idempotency.key),
  ]);
  const counts = results[3]!.results[0] as { signature_count: number; goal: number };
  const stored = (results[5]!.results[0] as StoredResponse | undefined) ?? null;
  return {
    signatureCount: counts.signature_count,
    goal: counts.goal,
    created: results[1]!.meta.changes > 0, // D1 counts rows its triggers wrote too (partner_totals)
    claimedKey: results[0]!.meta.changes === 1,
    stored,
  };
}
