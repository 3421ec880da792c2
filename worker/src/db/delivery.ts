/** SQL of the petition's delivery to its official: the campaign, its signers, the record of each delivery. */

export interface DeliveryCampaignRow {
  id: number;
  slug: string;
  effort_id: number;
  effort_slug: string;
  title: string;
  body: string;
  town: string;
  state: string;
  target_name: string;
  target_title: string;
  signature_count: number;
  imported_count: number;
  creator_lang: string | null;
}

export const getDeliveryCampaign = (db: D1Database, slug: string) =>
  db
    .prepare(
      `SELECT c.id, c.slug, c.effort_id, e.slug AS effort_slug, c.title, c.body, c.town, c.state, c.target_name,
              c.target_title, c.signature_count, c.imported_count, c.creator_lang
         FROM campaigns c JOIN efforts e ON e.id = c.effort_id WHERE c.slug = ?1`,
    )
    .bind(slug)
    .first<DeliveryCampaignRow>();

/**
 * Which signers a delivery lists. `confirmed`: those who confirmed their email; `all`: every signer
 * counted (a held signature, not confirmed, is in neither).
 */
export type SignerScope = 'confirmed' | 'all';
const SCOPE: Record<SignerScope, string> = {
  confirmed: 's.confirmed_at IS NOT NULL',
  all: 's.counted = 1',
};

export interface DeliverySignerRow {
  id: number;
  first_name: string;
  last_name: string;
  zip: string;
  created_at: string;
}

/** One page of a campaign's signers (oldest first), after signature `afterId`. */
export const deliverySigners = async (db: D1Database, campaignId: number, scope: SignerScope, afterId: number, limit: number) =>
  (
    await db
      .prepare(
        `SELECT s.id, s.first_name, s.last_name, s.zip, s.created_at FROM signatures s
          WHERE s.campaign_id = ?1 AND s.id > ?2 AND ${SCOPE[scope]} ORDER BY s.id LIMIT ?3`,
      )
      .bind(campaignId, afterId, limit)
      .all<DeliverySignerRow>()
  ).results;

/** How many signers each scope lists. */
export async function signerCounts(db: D1Database, campaignId: number): Promise<Record<SignerScope, number>> {
  const row = await db
    .prepare(`SELECT sum(${SCOPE.all}) AS "all", sum(${SCOPE.confirmed}) AS confirmed FROM signatures s WHERE s.campaign_id = ?1`)
    .bind(campaignId)
    .first<{ all: number | null; confirmed: number | null }>();
  return { all: row?.all ?? 0, confirmed: row?.confirmed ?? 0 };
}

export const recordDelivery = (db: D1Database, d: { campaignId: number; official: string; toEmail: string; signerCount: number; messageId: string | null }) =>
  db
    .prepare(
      `INSERT INTO campaign_deliveries (campaign_id, official, to_email, signer_count, message_id)
       VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id, official, to_email, signer_count, delivered_at`,
    )
    .bind(d.campaignId, d.official, d.toEmail, d.signerCount, d.messageId)
    .first<{ id: number; official: string; to_email: string; signer_count: number; delivered_at: string }>();

export const listDeliveries = async (db: D1Database, campaignId: number) =>
  (
    await db
      .prepare('SELECT id, official, to_email, signer_count, delivered_at FROM campaign_deliveries WHERE campaign_id = ?1 ORDER BY delivered_at DESC')
      .bind(campaignId)
      .all<{ id: number; official: string; to_email: string; signer_count: number; delivered_at: string }>()
  ).results;

/** The latest delivery, in its public form (whom, when: never the address). */
export const lastPublicDelivery = (db: D1Database, campaignId: number) =>
  db
    .prepare('SELECT official, delivered_at FROM campaign_deliveries WHERE campaign_id = ?1 ORDER BY delivered_at DESC LIMIT 1')
    .bind(campaignId)
    .first<{ official: string; delivered_at: string }>();
