/** SQL for the organizer API: efforts, targets, moderation, totals, export. Knows nothing of HTTP. */
import type { CampaignPatch, CampaignStatus, EffortInput, EffortPatch, TargetCsvRow } from '../schemas.ts';
import type { CampaignRow } from './campaigns.ts';
import type { TargetRow } from './targets.ts';

export interface AdminEffortRow {
  id: number;
  slug: string;
  title: string;
  body: string;
  goal: number;
  title_template: string;
  body_template: string;
  default_goal: number;
  distance_limit_km: number;
  moderation: 'post' | 'pre';
  counting: 'at_once' | 'confirmed';
  signature_count: number;
  confirmed_count: number;
  campaign_count: number;
  created_at: string;
}

const EFFORT_COLUMNS = `id, slug, title, body, goal, title_template, body_template, default_goal, distance_limit_km,
  moderation, counting, signature_count, confirmed_count, campaign_count, created_at`;

export const listEfforts = async (db: D1Database) =>
  (await db.prepare(`SELECT ${EFFORT_COLUMNS} FROM efforts ORDER BY id`).all<AdminEffortRow>()).results;

export const getAdminEffort = (db: D1Database, slug: string) =>
  db.prepare(`SELECT ${EFFORT_COLUMNS} FROM efforts WHERE slug = ?1`).bind(slug).first<AdminEffortRow>();

/** Inserts an effort; null when the slug is taken. Unset settings take the schema's defaults. */
export function insertEffort(db: D1Database, e: EffortInput) {
  const fields = { ...e } as Record<string, unknown>;
  const columns = Object.keys(fields).filter((k) => fields[k] !== undefined && k in EFFORT_INSERT_COLUMNS);
  return db
    .prepare(
      `INSERT INTO efforts (${columns.map((k) => EFFORT_INSERT_COLUMNS[k]).join(', ')})
       VALUES (${columns.map((_, i) => `?${i + 1}`).join(', ')})
       ON CONFLICT (slug) DO NOTHING
       RETURNING ${EFFORT_COLUMNS}`,
    )
    .bind(...columns.map((k) => fields[k]))
    .first<AdminEffortRow>();
}

const EFFORT_PATCH_COLUMNS: Record<keyof EffortPatch, string> = {
  title: 'title',
  body: 'body',
  goal: 'goal',
  titleTemplate: 'title_template',
  bodyTemplate: 'body_template',
  defaultGoal: 'default_goal',
  distanceLimitKm: 'distance_limit_km',
  moderation: 'moderation',
  counting: 'counting',
};

const EFFORT_INSERT_COLUMNS: Record<string, string> = { slug: 'slug', ...EFFORT_PATCH_COLUMNS };

/** UPDATE … SET for the fields present in a patch; the column names come from a fixed map only. */
function setClause<K extends string>(patch: Partial<Record<K, unknown>>, columns: Record<K, string>, firstParam: number) {
  const keys = (Object.keys(patch) as K[]).filter((k) => patch[k] !== undefined && k in columns);
  return {
    sql: keys.map((k, i) => `${columns[k]} = ?${firstParam + i}`).join(', '),
    values: keys.map((k) => patch[k]),
  };
}

export async function updateEffort(db: D1Database, id: number, patch: EffortPatch) {
  const set = setClause(patch, EFFORT_PATCH_COLUMNS, 2);
  return db
    .prepare(`UPDATE efforts SET ${set.sql} WHERE id = ?1 RETURNING ${EFFORT_COLUMNS}`)
    .bind(id, ...set.values)
    .first<AdminEffortRow>();
}

/**
 * Inserts or updates an effort's targets (one per jurisdiction, state and title), 500 rows per
 * statement through json_each, all in one batch (one transaction). Returns how many were new.
 */
export async function upsertTargets(db: D1Database, effortId: number, rows: TargetCsvRow[]) {
  const count = db.prepare('SELECT count(*) AS n FROM targets WHERE effort_id = ?1').bind(effortId);
  const statements: D1PreparedStatement[] = [count];
  for (let i = 0; i < rows.length; i += 500) {
    statements.push(
      db
        .prepare(
          `INSERT INTO targets (effort_id, name, title, jurisdiction, state, lat, lon)
           SELECT ?1, j.value ->> 'name', j.value ->> 'title', j.value ->> 'jurisdiction', j.value ->> 'state',
                  j.value ->> 'lat', j.value ->> 'lon'
             FROM json_each(?2) AS j WHERE true
           ON CONFLICT (effort_id, jurisdiction, state, title)
           DO UPDATE SET name = excluded.name, lat = excluded.lat, lon = excluded.lon`,
        )
        .bind(effortId, JSON.stringify(rows.slice(i, i + 500))),
    );
  }
  statements.push(count);
  const results = await db.batch<{ n: number }>(statements);
  const before = results[0]!.results[0]!.n;
  const after = results.at(-1)!.results[0]!.n;
  return { created: after - before, updated: rows.length - (after - before), total: after };
}

export interface TargetListRow extends TargetRow {
  campaign_count: number;
}

export const listTargets = async (db: D1Database, effortId: number, afterId: number, limit: number) =>
  (
    await db
      .prepare(
        `SELECT t.id, t.name, t.title, t.jurisdiction, t.state, t.lat, t.lon,
                (SELECT count(*) FROM campaigns c WHERE c.target_id = t.id AND c.status <> 'suppressed') AS campaign_count
           FROM targets t WHERE t.effort_id = ?1 AND t.id > ?2 ORDER BY t.id LIMIT ?3`,
      )
      .bind(effortId, afterId, limit)
      .all<TargetListRow>()
  ).results;

/** A campaign as organizers see it: every column, the creator's email and the target's id included. */
export interface AdminCampaignRow extends CampaignRow {
  target_id: number | null;
  creator_email: string | null;
  created_at: string;
}

const CAMPAIGN_COLUMNS = `id, effort_id, target_id, slug, town, state, lat, lon, target_name, target_title, title, body, goal,
  creator_name, creator_email, status, signature_count, confirmed_count, created_at`;

/** An effort's campaigns in the given statuses, oldest first, by keyset on id. */
export const listCampaigns = async (db: D1Database, effortId: number, statuses: CampaignStatus[], afterId: number, limit: number) =>
  (
    await db
      .prepare(
        `SELECT ${CAMPAIGN_COLUMNS} FROM campaigns
          WHERE effort_id = ?1 AND status IN (SELECT value FROM json_each(?2)) AND id > ?3
          ORDER BY id LIMIT ?4`,
      )
      .bind(effortId, JSON.stringify(statuses), afterId, limit)
      .all<AdminCampaignRow>()
  ).results;

export const getAdminCampaign = (db: D1Database, slug: string) =>
  db.prepare(`SELECT ${CAMPAIGN_COLUMNS} FROM campaigns WHERE slug = ?1`).bind(slug).first<AdminCampaignRow>();

const CAMPAIGN_PATCH_COLUMNS: Record<keyof CampaignPatch, string> = {
  title: 'title',
  body: 'body',
  goal: 'goal',
  town: 'town',
  state: 'state',
  targetName: 'target_name',
  targetTitle: 'target_title',
  status: 'status',
};

export async function updateCampaign(db: D1Database, id: number, patch: CampaignPatch) {
  const set = setClause(patch, CAMPAIGN_PATCH_COLUMNS, 2);
  return db
    .prepare(`UPDATE campaigns SET ${set.sql} WHERE id = ?1 RETURNING ${CAMPAIGN_COLUMNS}`)
    .bind(id, ...set.values)
    .first<AdminCampaignRow>();
}

export interface CampaignTotalRow {
  slug: string;
  town: string;
  state: string;
  status: CampaignStatus;
  signature_count: number;
  goal: number;
}

/** Totals of an effort: campaigns by status, the campaigns with the most signatures, signatures by partner. */
export async function effortTotals(db: D1Database, effortId: number, limit: number, offset: number) {
  const [byStatus, byCampaign, byPartner] = await db.batch([
    db.prepare('SELECT status, count(*) AS n FROM campaigns WHERE effort_id = ?1 GROUP BY status').bind(effortId),
    db
      .prepare(
        `SELECT slug, town, state, status, signature_count, goal FROM campaigns WHERE effort_id = ?1
          ORDER BY signature_count DESC, id LIMIT ?2 OFFSET ?3`,
      )
      .bind(effortId, limit, offset),
    db
      .prepare(
        `SELECT p.partner, sum(p.signature_count) AS n
           FROM partner_totals p JOIN campaigns c ON c.id = p.campaign_id
          WHERE c.effort_id = ?1 GROUP BY p.partner HAVING n > 0 ORDER BY n DESC, p.partner`,
      )
      .bind(effortId),
  ]);
  return {
    byStatus: byStatus!.results as { status: CampaignStatus; n: number }[],
    byCampaign: byCampaign!.results as CampaignTotalRow[],
    byPartner: byPartner!.results as { partner: string; n: number }[],
  };
}

export interface ExportRow {
  id: number;
  created_at: string;
  first_name: string;
  last_name: string;
  email: string;
  zip: string;
  phone: string | null;
  campaign: string;
  campaign_status: CampaignStatus;
  town: string;
  state: string;
  partner: string | null;
  /** The consents take effect once the signer has confirmed their email: 0 before. */
  consent_partner: number;
  consent_effort: number;
  confirmed_at: string | null;
  held_reason: string | null;
}

export type ExportScope = { effortId: number } | { campaignId: number };

/** Where an export page starts: after this signature (signatures are ordered by time, then id). */
export interface ExportCursor {
  createdAt: string;
  id: number;
}

export const exportCursorOf = (db: D1Database, signatureId: number) =>
  db.prepare('SELECT created_at AS createdAt, id FROM signatures WHERE id = ?1').bind(signatureId).first<ExportCursor>();

const EXPORT_COLUMNS = `s.id, s.created_at, s.first_name, s.last_name, s.email, s.zip, s.phone, c.slug AS campaign,
  c.status AS campaign_status, c.town, c.state, s.partner,
  s.consent_partner * (s.confirmed_at IS NOT NULL) AS consent_partner, s.consent_effort * (s.confirmed_at IS NOT NULL) AS consent_effort,
  s.confirmed_at, s.held_reason`;

/**
 * One page of signatures for the CSV export, after `after` (keyset pagination: each page reads
 * about `limit` rows however deep into the export it is; no page sorts the whole table).
 *  - an effort: by id, walking the primary key (CROSS JOIN keeps signatures the outer loop);
 *  - a campaign: by (created_at, id), walking the (campaign_id, created_at) index.
 */
export async function exportPage(db: D1Database, scope: ExportScope, after: ExportCursor | null, limit: number): Promise<ExportRow[]> {
  const stmt =
    'effortId' in scope
      ? db
          .prepare(
            `SELECT ${EXPORT_COLUMNS} FROM signatures s CROSS JOIN campaigns c ON c.id = s.campaign_id
              WHERE c.effort_id = ?1 AND s.id > ?2 ORDER BY s.id LIMIT ?3`,
          )
          .bind(scope.effortId, after?.id ?? 0, limit)
      : db
          .prepare(
            `SELECT ${EXPORT_COLUMNS} FROM signatures s CROSS JOIN campaigns c ON c.id = s.campaign_id
              WHERE s.campaign_id = ?1 AND (s.created_at, s.id) > (?2, ?3) ORDER BY s.created_at, s.id LIMIT ?4`,
          )
          .bind(scope.campaignId, after?.createdAt ?? '', after?.id ?? 0, limit);
  return (await stmt.all<ExportRow>()).results;
}
