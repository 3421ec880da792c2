/**
 * SQL of the outbox (the `events` table) and of the deliveries of each event to each destination.
 * Knows nothing of HTTP or of queues.
 *
 * Events are written by triggers (migration 0010) inside the statement that makes the change: a
 * signature's INSERT, a campaign's INSERT, a campaign's status UPDATE. So an event exists exactly when
 * its change was committed, whichever code path made it. A change with no trigger to carry it (a
 * signature's confirmation) adds `eventStatement(...)` to its own batch.
 */

export type EventType = 'signature.created' | 'signature.confirmed' | 'campaign.started' | 'campaign.approved' | 'campaign.suppressed';

const NOW = `strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

/**
 * The outbox INSERT for a signature event, to put in the same batch as the change it records (after the
 * confirmation's UPDATE): one row with a fresh stable id, only if the signature exists and has no event of
 * this type yet (so a second confirmation, or a retried batch, writes none).
 */
export const eventStatement = (db: D1Database, type: 'signature.confirmed' | 'signature.created', signatureId: number) =>
  db
    .prepare(
      `INSERT INTO events (id, type, effort_id, campaign_id, signature_id)
       SELECT 'evt_' || lower(hex(randomblob(16))), ?1, c.effort_id, c.id, s.id
         FROM signatures s JOIN campaigns c ON c.id = s.campaign_id
        WHERE s.id = ?2 AND NOT EXISTS (SELECT 1 FROM events x WHERE x.signature_id = s.id AND x.type = ?1)`,
    )
    .bind(type, signatureId);

/** Claims up to `limit` events not yet handed to the queue (marks them handed) and returns their ids. */
export const claimUnhanded = async (db: D1Database, limit = 100) =>
  (
    await db
      .prepare(
        `UPDATE events SET handed_at = ${NOW}
          WHERE seq IN (SELECT seq FROM events WHERE handed_at IS NULL ORDER BY seq LIMIT ?1)
         RETURNING id`,
      )
      .bind(limit)
      .all<{ id: string }>()
  ).results.map((r) => r.id);

/** Gives claimed events back (the queue refused them): the next hand-over or the sweep sends them. */
export const unclaim = (db: D1Database, ids: string[]) =>
  db.prepare('UPDATE events SET handed_at = NULL WHERE id IN (SELECT value FROM json_each(?1))').bind(JSON.stringify(ids)).run();

/**
 * Events the consumer has not routed yet although they are older than `before` (ISO): never handed
 * over (the Worker died between the commit and the send), or handed over and lost. Marked handed now.
 */
export const claimStale = async (db: D1Database, before: string, limit = 500) =>
  (
    await db
      .prepare(
        `UPDATE events SET handed_at = ${NOW}
          WHERE seq IN (SELECT seq FROM events
                         WHERE routed_at IS NULL AND created_at < ?1 AND (handed_at IS NULL OR handed_at < ?1)
                         ORDER BY seq LIMIT ?2)
         RETURNING id`,
      )
      .bind(before, limit)
      .all<{ id: string }>()
  ).results.map((r) => r.id);

/** Events with deliveries still due (pending or failing at an active destination) and untouched since `before`. */
export const staleDeliveries = async (db: D1Database, before: string, limit = 500) =>
  (
    await db
      .prepare(
        `SELECT d.event_id, d.destination_id FROM deliveries d JOIN destinations t ON t.id = d.destination_id
          WHERE d.status IN ('pending', 'failing') AND t.status = 'active' AND coalesce(d.last_attempt_at, d.created_at) < ?1
          LIMIT ?2`,
      )
      .bind(before, limit)
      .all<{ event_id: string; destination_id: string }>()
  ).results;

/** An event with what every destination may need of it (the signer's data only for signature events). */
export interface EventRow {
  id: string;
  type: EventType;
  effort_id: number;
  effort_slug: string;
  created_at: string;
  routed_at: string | null;
  campaign_id: number;
  campaign_slug: string;
  campaign_title: string;
  campaign_status: string;
  town: string;
  state: string;
  target_name: string;
  target_title: string;
  creator_name: string | null;
  signature_id: number | null;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  zip: string | null;
  phone: string | null;
  partner: string | null;
  consent_partner: number | null;
  consent_effort: number | null;
  signed_at: string | null;
}

export const getEvent = (db: D1Database, id: string) =>
  db
    .prepare(
      `SELECT e.id, e.type, e.effort_id, f.slug AS effort_slug, e.created_at, e.routed_at,
              c.id AS campaign_id, c.slug AS campaign_slug, c.title AS campaign_title, c.status AS campaign_status,
              c.town, c.state, c.target_name, c.target_title, c.creator_name,
              s.id AS signature_id, s.first_name, s.last_name, s.email, s.zip, s.phone, s.partner,
              s.consent_partner, s.consent_effort, s.created_at AS signed_at
         FROM events e JOIN campaigns c ON c.id = e.campaign_id JOIN efforts f ON f.id = e.effort_id
         LEFT JOIN signatures s ON s.id = e.signature_id
        WHERE e.id = ?1`,
    )
    .bind(id)
    .first<EventRow>();

/**
 * Who goes where (the only place that decides it). For a signature event, the destinations of its effort
 * that may receive this signer:
 *  - the effort's own destinations (partner_code NULL): the signer consented to the effort;
 *  - a partner's destination: the signature is credited to that partner and the signer ticked its consent
 *    (the partner and its consent are stored only when the signature came from one of its own sites);
 *  - Action Network records a signature once: a confirmation is not sent where the signature itself was
 *    (a `signature.created` delivered before consent waited for confirmation).
 * Campaign events go to the effort's own webhooks only. Paused destinations get their rows too
 * (pending): they are sent on resume. `SIGNER_ELIGIBLE` is the rule on the signature row `s`: consent to be
 * contacted takes effect only once confirmed (anyone can sign with someone else's email and tick a box), so
 * a signer goes out only with their `signature.confirmed` event, whatever the effort's counting;
 * `signature.created` goes to no destination.
 */
export const SIGNER_ELIGIBLE = `s.email <> '' AND s.confirmed_at IS NOT NULL AND e.type = 'signature.confirmed'`;

export const routeEvent = (db: D1Database, eventId: string) => [
  db
    .prepare(
      `INSERT INTO deliveries (event_id, destination_id)
       SELECT e.id, t.id
         FROM events e JOIN destinations t ON t.effort_id = e.effort_id
         LEFT JOIN signatures s ON s.id = e.signature_id
        WHERE e.id = ?1 AND e.routed_at IS NULL
          AND CASE
                WHEN e.signature_id IS NULL THEN t.partner_code IS NULL AND t.kind = 'webhook'
                WHEN s.id IS NULL THEN 0
                ELSE ${SIGNER_ELIGIBLE}
                     AND CASE WHEN t.partner_code IS NULL THEN s.consent_effort = 1
                              ELSE s.partner = t.partner_code AND s.consent_partner = 1 END
                     AND NOT (t.kind = 'action_network' AND e.type = 'signature.confirmed' AND EXISTS (
                           SELECT 1 FROM events p JOIN deliveries pd ON pd.event_id = p.id AND pd.destination_id = t.id
                            WHERE p.signature_id = e.signature_id AND p.type = 'signature.created'))
              END
       ON CONFLICT DO NOTHING`,
    )
    .bind(eventId),
  db.prepare(`UPDATE events SET routed_at = ${NOW} WHERE id = ?1 AND routed_at IS NULL`).bind(eventId),
];

export interface DueDeliveryRow {
  destination_id: string;
  kind: 'webhook' | 'action_network';
  url: string;
  secret_box: string;
  attempts: number;
}

/** The deliveries of an event still to make, at active destinations (only `destinationId`'s if given). */
export const dueDeliveries = async (db: D1Database, eventId: string, destinationId: string | null) =>
  (
    await db
      .prepare(
        `SELECT d.destination_id, t.kind, t.url, t.secret_box, d.attempts
           FROM deliveries d JOIN destinations t ON t.id = d.destination_id
          WHERE d.event_id = ?1 AND d.status <> 'delivered' AND t.status = 'active' AND (?2 IS NULL OR d.destination_id = ?2)`,
      )
      .bind(eventId, destinationId)
      .all<DueDeliveryRow>()
  ).results;

export const markDelivered = (db: D1Database, eventId: string, destinationId: string) =>
  db
    .prepare(
      `UPDATE deliveries SET status = 'delivered', attempts = attempts + 1, last_error = NULL,
              last_attempt_at = ${NOW}, delivered_at = ${NOW}
        WHERE event_id = ?1 AND destination_id = ?2`,
    )
    .bind(eventId, destinationId);

export const markFailing = (db: D1Database, eventId: string, destinationId: string, error: string) =>
  db
    .prepare(
      `UPDATE deliveries SET status = 'failing', attempts = attempts + 1, last_error = ?3, last_attempt_at = ${NOW}
        WHERE event_id = ?1 AND destination_id = ?2 AND status <> 'delivered'`,
    )
    .bind(eventId, destinationId, error.slice(0, 200));

/** The dead-letter queue's consumer: every delivery of the event not delivered is dead (kept for a replay). */
export const markDead = (db: D1Database, eventId: string, destinationId: string | null) =>
  db
    .prepare(
      `UPDATE deliveries SET status = 'dead'
        WHERE event_id = ?1 AND status IN ('pending', 'failing') AND (?2 IS NULL OR destination_id = ?2)
          AND destination_id IN (SELECT id FROM destinations WHERE status = 'active')`,
    )
    .bind(eventId, destinationId)
    .run();
