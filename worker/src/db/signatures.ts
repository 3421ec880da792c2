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
  /** Why it is suspect ('honeypot', 'too_fast'): then stored but held out of the counts until confirmed. */
  heldReason: string | null;
  /** The language it was signed in (its confirmation email's). */
  lang: 'en' | 'es';
  /** The Worker's origin, for the confirmation link of the email owed. */
  baseUrl: string;
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
           FROM signatures WHERE campaign_id = ?1 AND counted = 1
          ORDER BY created_at DESC, id DESC LIMIT ?2`,
      )
      .bind(campaignId, limit)
      .all<PublicSignerRow>()
  ).results;


/** An effort's site rule for `origin` (?O), for the campaign row `c`: any site, unless organizers listed some. */
const EFFORT_ALLOWS = `(?O IS NULL
    OR NOT EXISTS (SELECT 1 FROM effort_origins WHERE effort_id = c.effort_id)
    OR EXISTS (SELECT 1 FROM effort_origins WHERE effort_id = c.effort_id AND origin = ?O))`;
/** The partner (?P) is credited only from one of its own sites (?O). */
const PARTNER_ALLOWED = `(?O IS NOT NULL AND EXISTS (SELECT 1 FROM partner_origins WHERE partner_code = ?P AND origin = ?O))`;

export interface RecordedSignature {
  /** False: the campaign is not reachable (pending, suppressed, gone): nothing was written. */
  reachable: boolean;
  /** False: the effort does not allow the request's site: nothing was written. */
  allowed: boolean;
  /** The count the answer carries (see ANSWER_COUNT): the same for a new, a held and a repeated signature. */
  signatureCount: number;
  goal: number;
  /** A new row (false for a repeat email, or a refused key). */
  created: boolean;
  /** This call claimed the Idempotency-Key. */
  claimedKey: boolean;
  /** Under a key: the answer stored for it (this call's, or a racing twin's). */
  stored: StoredResponse | null;
  /** Confirmation emails this call made owed (email_outbox ids): sent right after the answer. */
  owedEmails: number[];
}

/**
 * The count an answer carries: the campaign's count as it was just before this request, plus one. For a
 * new counted signature that is the count now; for a repeat, a held signature or one awaiting
 * confirmation it is one more than the count now. So the answer is the same number whatever the email's
 * history, and tells nothing a read of the campaign just before would not (the own row is found by
 * this request's random referral code, ?13).
 */
const ANSWER_COUNT = `(c.signature_count + 1 - coalesce((SELECT counted FROM signatures WHERE referral_code = ?13), 0))`;

/**
 * Records a signature in ONE batch (one round trip, one transaction: D1 runs batches one at a time, so
 * concurrent requests are serialised), with every check that used to be a read of its own folded in:
 *  1. the row, only if the campaign is reachable (live or unlisted), the effort allows the request's
 *     site (`origin`), this email has not signed it yet (ON CONFLICT DO NOTHING) and, under a key, no
 *     answer is stored under that key yet (a retry, or a request reusing the key, inserts nothing).
 *     The partner is stored (with its consent) only when the request comes from one of the partner's
 *     own sites. It is counted (`counted` = 1) unless it is held (a suspect signal) or its effort counts
 *     only confirmed signatures;
 *  2. the campaign's count moves by the new row's `counted` (0 for a repeat, a held or an unconfirmed
 *     one; a trigger carries the same delta to the effort's total);
 *  3. a confirmation email is owed (email_outbox) for this email's unconfirmed signature of the
 *     campaign, new or repeated, unless one was owed in the last day (no mail bombing through the form);
 *  4. without a key, the answer's count is read back, with whether the campaign was reachable and the
 *     site allowed;
 *  5. under a key, the answer (with the count) is stored under it, only for a signature that could be
 *     taken and only if the key is free (first writer wins), and returned; when the key was taken before,
 *     the stored answer is read in a query of its own: racing retries all get the same answer, a request
 *     reusing the key for another body gets the stored one's hash (422). A refused request stores
 *     nothing (then the reason is read, in a query of its own).
 */
export async function recordSignature(
  db: D1Database,
  sig: NewSignature,
  idempotency: { key: string; requestHash: string; status: number } | null,
  origin: string | null = null,
): Promise<RecordedSignature> {
  const key = idempotency?.key ?? null;
  const requestHash = idempotency?.requestHash ?? null;
  // Named parameters are not bound by name in D1: ?O and ?P are spelled ?15 and ?8 below.
  const allows = EFFORT_ALLOWS.replaceAll('?O', '?15');
  const partnerOk = PARTNER_ALLOWED.replaceAll('?O', '?15').replaceAll('?P', '?8');
  const params = [
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
    origin,
    sig.heldReason,
    sig.lang,
    sig.baseUrl,
  ];
  const insert = db
    .prepare(
      `INSERT INTO signatures (campaign_id, first_name, last_name, email, email_hash, zip, phone, partner,
                               consent_partner, consent_effort, referral_code, referred_by, held_reason, counted, lang)
       SELECT c.id, ?2, ?3, ?4, ?5, ?6, ?7,
              CASE WHEN ${partnerOk} THEN ?8 END, CASE WHEN ${partnerOk} THEN ?9 ELSE 0 END,
              ?10, ?13, ?14, ?16, (?16 IS NULL AND e.counting = 'at_once'), ?17
         FROM campaigns c JOIN efforts e ON e.id = c.effort_id
        WHERE c.id = ?1 AND c.status IN ('live', 'unlisted') AND ${allows}
          AND (?11 IS NULL OR NOT EXISTS (SELECT 1 FROM idempotency_keys WHERE key = ?11))
       ON CONFLICT (campaign_id, email_hash) DO NOTHING`,
    )
    .bind(...params.slice(0, 17));
  const count = db
    .prepare(
      `UPDATE campaigns SET signature_count = signature_count + coalesce((SELECT counted FROM signatures WHERE referral_code = ?13), 0)
        WHERE id = ?1`,
    )
    .bind(...params.slice(0, 13));
  // The email owed: for this email's unconfirmed signature of a campaign that takes it, at most once a day.
  const owe = db
    .prepare(
      `INSERT INTO email_outbox (kind, subject_id, lang, base_url)
       SELECT 'signature', s.id, ?17, ?18
         FROM signatures s JOIN campaigns c ON c.id = s.campaign_id
        WHERE s.campaign_id = ?1 AND s.email_hash = ?5 AND s.confirmed_at IS NULL AND s.email <> ''
          AND c.status IN ('live', 'unlisted') AND ${allows}
          AND NOT EXISTS (SELECT 1 FROM email_outbox o WHERE o.kind = 'signature' AND o.subject_id = s.id
                             AND o.created_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 day'))
       RETURNING id`,
    )
    .bind(...params);
  type CountRow = { signature_count: number; goal: number; reachable: number; allowed: number };
  const readBack = db
    .prepare(
      `SELECT ${ANSWER_COUNT} AS signature_count, c.goal, c.status IN ('live', 'unlisted') AS reachable, ${allows} AS allowed
         FROM campaigns c WHERE c.id = ?1`,
    )
    .bind(...params.slice(0, 15));
  const read = (row: CountRow | undefined) => ({
    reachable: row?.reachable === 1,
    allowed: row?.allowed === 1,
    signatureCount: row?.signature_count ?? 0,
    goal: row?.goal ?? 0,
  });
  const owedOf = (r: D1Result | undefined) => ((r?.results ?? []) as { id: number }[]).map((o) => o.id);
  if (!idempotency) {
    const [inserted, , owed, counted] = await db.batch([insert, count, owe, readBack]);
    return {
      ...read(counted!.results[0] as CountRow | undefined),
      created: inserted!.meta.changes > 0,
      claimedKey: false,
      stored: null,
      owedEmails: owedOf(owed),
    };
  }
  const results = await db.batch([
    insert,
    count,
    owe,
    db
      .prepare(
        `INSERT INTO idempotency_keys (key, request_hash, status, response)
         SELECT ?11, ?12, ?19, json_object('data', json_object('campaign', c.slug, 'signatureCount', ${ANSWER_COUNT},
                                                            'goal', c.goal, 'referralCode', ?13))
           FROM campaigns c
          WHERE c.id = ?1 AND c.status IN ('live', 'unlisted') AND ${allows}
         ON CONFLICT (key) DO NOTHING
         RETURNING request_hash, status, response`,
      )
      .bind(...params, idempotency.status),
  ]);
  const created = results[0]!.meta.changes > 0; // D1 counts rows its triggers wrote too (partner_totals)
  const owedEmails = owedOf(results[2]);
  const mine = (results[3]!.results[0] as StoredResponse | undefined) ?? null;
  const claimedKey = mine !== null;
  // The key was taken before (a retry, a racing twin, a reused key) or nothing was stored (a refused
  // request): only then one more query, for the answer stored under it.
  const stored = mine ?? (await db.prepare('SELECT request_hash, status, response FROM idempotency_keys WHERE key = ?1').bind(idempotency.key).first<StoredResponse>());
  // An answer stored under the key: the signature was taken (by this request or a racing twin), and the
  // answer holds the count. Only a refused request (nothing stored) reads why, in the count query.
  if (stored?.response) {
    const data = (JSON.parse(stored.response) as { data?: { signatureCount?: number; goal?: number } }).data;
    return { reachable: true, allowed: true, signatureCount: data?.signatureCount ?? 0, goal: data?.goal ?? 0, created, claimedKey, stored, owedEmails };
  }
  return { ...read((await readBack.first<CountRow>()) ?? undefined), created, claimedKey, stored, owedEmails };
}
