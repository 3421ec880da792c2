/**
 * SQL for a supporter's privacy request across one effort: find what we hold about a person (by the
 * keyed hash of their email, so anonymised signatures are found too), and erase it. Knows nothing of HTTP.
 */

export interface PersonSignatureRow {
  id: number;
  campaign: string;
  first_name: string;
  last_name: string;
  email: string;
  zip: string;
  phone: string | null;
  partner: string | null;
  consent_partner: number;
  consent_effort: number;
  referral_code: string | null;
  referred_by: string | null;
  created_at: string;
  anonymised_at: string | null;
}

export interface PersonCampaignRow {
  id: number;
  slug: string;
  title: string;
  status: string;
  creator_name: string | null;
  creator_email: string | null;
  created_at: string;
}

/** Everything stored about the person whose email has this hash (signatures) or this address (campaigns they started). */
export async function findPerson(db: D1Database, effortId: number, emailHash: string, email: string) {
  const [signatures, campaigns] = await db.batch<PersonSignatureRow | PersonCampaignRow>([
    db
      .prepare(
        `SELECT s.id, c.slug AS campaign, s.first_name, s.last_name, s.email, s.zip, s.phone, s.partner, s.consent_partner,
                s.consent_effort, s.referral_code, s.referred_by, s.created_at, s.anonymised_at
           FROM signatures s JOIN campaigns c ON c.id = s.campaign_id
          WHERE c.effort_id = ?1 AND s.email_hash = ?2
          ORDER BY s.created_at`,
      )
      .bind(effortId, emailHash),
    db
      .prepare(
        `SELECT id, slug, title, status, creator_name, creator_email, created_at FROM campaigns
          WHERE effort_id = ?1 AND creator_email = ?2 ORDER BY created_at`,
      )
      .bind(effortId, email),
  ]);
  return { signatures: signatures!.results as PersonSignatureRow[], campaigns: campaigns!.results as PersonCampaignRow[] };
}

/**
 * Erases the person across the effort, in one transaction: their signatures are deleted and each
 * campaign's count goes down by the deleted rows it counted (and its confirmed count by the confirmed
 * ones; the effort's follow by trigger, the partner totals by trigger); the campaigns they started keep their text and their other signers, but lose the
 * creator's name and email. Returns what was erased.
 */
export async function erasePerson(db: D1Database, effortId: number, emailHash: string, email: string) {
  const inEffort = 'SELECT id FROM campaigns WHERE effort_id = ?1';
  // What will be erased, counted in the same transaction (D1's `changes` would include the triggers' rows).
  const results = await db.batch<{ n: number }>([
    db.prepare(`SELECT count(*) AS n FROM signatures WHERE email_hash = ?2 AND campaign_id IN (${inEffort})`).bind(effortId, emailHash),
    db.prepare('SELECT count(*) AS n FROM campaigns WHERE effort_id = ?1 AND creator_email = ?2').bind(effortId, email),
    // The counts first (the rows are still there to count), then the rows.
    db
      .prepare(
        `UPDATE campaigns
            SET signature_count = signature_count
                - (SELECT count(*) FROM signatures s WHERE s.campaign_id = campaigns.id AND s.email_hash = ?2 AND s.counted = 1),
                confirmed_count = confirmed_count
                - (SELECT count(*) FROM signatures s WHERE s.campaign_id = campaigns.id AND s.email_hash = ?2 AND s.confirmed_at IS NOT NULL)
          WHERE id IN (SELECT campaign_id FROM signatures WHERE email_hash = ?2 AND campaign_id IN (${inEffort}))`,
      )
      .bind(effortId, emailHash),
    db.prepare(`DELETE FROM signatures WHERE email_hash = ?2 AND campaign_id IN (${inEffort})`).bind(effortId, emailHash),
    db
      .prepare('UPDATE campaigns SET creator_email = NULL, creator_name = NULL WHERE effort_id = ?1 AND creator_email = ?2')
      .bind(effortId, email),
  ]);
  return { signatures: results[0]!.results[0]!.n, campaigns: results[1]!.results[0]!.n };
}
