/** SQL for signatures and idempotency keys. Knows nothing of HTTP. */

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

export interface StoredResponse {
  request_hash: string;
  status: number;
  response: string;
}

export const getIdempotentResponse = (db: D1Database, key: string) =>
  db
    .prepare('SELECT request_hash, status, response FROM idempotency_keys WHERE key = ?1')
    .bind(key)
    .first<StoredResponse>();

/**
 * Records a signature in one batch (one transaction):
 *  1. the row, unless this email already signed this campaign (ON CONFLICT DO NOTHING);
 *  2. the campaign's count moves by changes(): 1 for a new signature, 0 for a repeat
 *     (a trigger carries the same delta to the effort's total);
 *  3. with an idempotency key, the answer is stored under it (first writer wins);
 *  4. the answer is read back: the stored one under a key, so racing retries agree.
 * A repeat email inserts nothing, so its fresh `referralCode` is stored nowhere (except in the
 * idempotency answer): the answer has the same shape as for a new signature and reveals nothing.
 * Returns the response body's data and whether the row was new.
 */
export async function recordSignature(
  db: D1Database,
  sig: NewSignature,
  idempotency: { key: string; requestHash: string; status: number } | null,
): Promise<{ signatureCount: number; goal: number; created: boolean; stored: StoredResponse | null }> {
  const statements = [
    db
      .prepare(
        `INSERT INTO signatures (campaign_id, first_name, last_name, email, email_hash, zip, phone, partner,
                                 consent_partner, consent_effort, referral_code, referred_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
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
        sig.referralCode,
        sig.referredBy,
      ),
    db
      .prepare('UPDATE campaigns SET signature_count = signature_count + changes() WHERE id = ?1')
      .bind(sig.campaignId),
    db.prepare('SELECT signature_count, goal FROM campaigns WHERE id = ?1').bind(sig.campaignId),
  ];
  if (idempotency) {
    statements.push(
      db
        .prepare(
          `INSERT INTO idempotency_keys (key, request_hash, status, response)
           SELECT ?1, ?2, ?3, json_object('data', json_object('campaign', slug, 'signatureCount', signature_count,
                                                              'goal', goal, 'referralCode', ?5))
             FROM campaigns WHERE id = ?4
           ON CONFLICT (key) DO NOTHING`,
        )
        .bind(idempotency.key, idempotency.requestHash, idempotency.status, sig.campaignId, sig.referralCode),
      db
        .prepare('SELECT request_hash, status, response FROM idempotency_keys WHERE key = ?1')
        .bind(idempotency.key),
    );
  }
  const results = await db.batch(statements);
  const inserted = results[0]!.meta.changes === 1;
  const counts = results[2]!.results[0] as { signature_count: number; goal: number };
  const stored = idempotency ? ((results[4]!.results[0] as StoredResponse | undefined) ?? null) : null;
  return { signatureCount: counts.signature_count, goal: counts.goal, created: inserted, stored };
}
