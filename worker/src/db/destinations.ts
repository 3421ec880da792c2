/** SQL of an effort's destinations and their delivery log. Knows nothing of HTTP. */

export interface DestinationRow {
  id: string;
  effort_id: number;
  partner_code: string | null;
  kind: 'webhook' | 'action_network';
  url: string;
  name: string;
  status: 'active' | 'paused';
  created_at: string;
  delivered: number;
  pending: number;
  failing: number;
  dead: number;
  last_delivered_at: string | null;
  last_error: string | null;
}

const COUNTS = `
  (SELECT count(*) FROM deliveries d WHERE d.destination_id = t.id AND d.status = 'delivered') AS delivered,
  (SELECT count(*) FROM deliveries d WHERE d.destination_id = t.id AND d.status = 'pending') AS pending,
  (SELECT count(*) FROM deliveries d WHERE d.destination_id = t.id AND d.status = 'failing') AS failing,
  (SELECT count(*) FROM deliveries d WHERE d.destination_id = t.id AND d.status = 'dead') AS dead,
  (SELECT max(delivered_at) FROM deliveries d WHERE d.destination_id = t.id) AS last_delivered_at,
  (SELECT d.last_error FROM deliveries d WHERE d.destination_id = t.id AND d.status IN ('failing', 'dead')
    ORDER BY d.last_attempt_at DESC LIMIT 1) AS last_error`;

const COLUMNS = `t.id, t.effort_id, t.partner_code, t.kind, t.url, t.name, t.status, t.created_at, ${COUNTS}`;

export interface NewDestination {
  id: string;
  effortId: number;
  partnerCode: string | null;
  kind: 'webhook' | 'action_network';
  url: string;
  name: string;
  secretBox: string;
}

export const insertDestination = (db: D1Database, d: NewDestination) =>
  db
    .prepare(
      `INSERT INTO destinations (id, effort_id, partner_code, kind, url, name, secret_box)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`,
    )
    .bind(d.id, d.effortId, d.partnerCode, d.kind, d.url, d.name, d.secretBox)
    .run();

export const listDestinations = async (db: D1Database, effortId: number) =>
  (await db.prepare(`SELECT ${COLUMNS} FROM destinations t WHERE t.effort_id = ?1 ORDER BY t.created_at, t.id`).bind(effortId).all<DestinationRow>())
    .results;

export const getDestination = (db: D1Database, effortId: number, id: string) =>
  db.prepare(`SELECT ${COLUMNS} FROM destinations t WHERE t.effort_id = ?1 AND t.id = ?2`).bind(effortId, id).first<DestinationRow>();

export const setDestinationStatus = (db: D1Database, id: string, status: 'active' | 'paused') =>
  db.prepare('UPDATE destinations SET status = ?2 WHERE id = ?1').bind(id, status).run();

/** Deletes a destination and its delivery log (one transaction). */
export const deleteDestination = (db: D1Database, id: string) =>
  db.batch([
    db.prepare('DELETE FROM deliveries WHERE destination_id = ?1').bind(id),
    db.prepare('DELETE FROM destinations WHERE id = ?1').bind(id),
  ]);

/** The events a destination still owes (pending, failing or dead), to send again: dead ones become pending. */
export async function takeForReplay(db: D1Database, id: string, which: 'failed' | 'due', limit = 1000): Promise<string[]> {
  const statuses = which === 'failed' ? ['failing', 'dead'] : ['pending', 'failing', 'dead'];
  const { results } = await db
    .prepare(
      `UPDATE deliveries SET status = CASE status WHEN 'dead' THEN 'pending' ELSE status END
        WHERE destination_id = ?1 AND status IN (SELECT value FROM json_each(?2))
          AND event_id IN (SELECT event_id FROM deliveries WHERE destination_id = ?1
                            AND status IN (SELECT value FROM json_each(?2)) ORDER BY created_at LIMIT ?3)
       RETURNING event_id`,
    )
    .bind(id, JSON.stringify(statuses), limit)
    .all<{ event_id: string }>();
  return results.map((r) => r.event_id);
}

export interface DeliveryLogRow {
  event_id: string;
  type: string;
  campaign: string;
  status: string;
  attempts: number;
  last_error: string | null;
  last_attempt_at: string | null;
  delivered_at: string | null;
  created_at: string;
}

/** The delivery log of a destination, newest first: no personal data (event, campaign, state, error). */
export const deliveryLog = async (db: D1Database, id: string, status: string | null, limit: number) =>
  (
    await db
      .prepare(
        `SELECT d.event_id, e.type, c.slug AS campaign, d.status, d.attempts, d.last_error, d.last_attempt_at,
                d.delivered_at, d.created_at
           FROM deliveries d JOIN events e ON e.id = d.event_id JOIN campaigns c ON c.id = e.campaign_id
          WHERE d.destination_id = ?1 AND (?2 IS NULL OR d.status = ?2)
          ORDER BY d.created_at DESC LIMIT ?3`,
      )
      .bind(id, status, limit)
      .all<DeliveryLogRow>()
  ).results;

export const partnerExists = async (db: D1Database, code: string) =>
  (await db.prepare('SELECT 1 AS ok FROM partners WHERE code = ?1').bind(code).first<{ ok: number }>()) !== null;

export const getEffortId = (db: D1Database, slug: string) =>
  db.prepare('SELECT id, slug FROM efforts WHERE slug = ?1').bind(slug).first<{ id: number; slug: string }>();
