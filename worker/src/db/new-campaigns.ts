/** SQL for starting local campaigns (supporters and organizers). Knows nothing of HTTP. */
import type { CampaignStatus } from '../schemas.ts';

export interface TargetRow {
  id: number;
  effort_id: number;
  name: string;
  title: string;
  jurisdiction: string;
  state: string;
  lat: number;
  lon: number;
}

export interface EffortTemplateRow {
  id: number;
  slug: string;
  title: string;
  body: string;
  title_template: string;
  body_template: string;
  default_goal: number;
  moderation: 'post' | 'pre';
  /** At most this many supporter-made campaigns in any hour (migration 0011). */
  new_campaigns_per_hour: number;
}

export const getEffortTemplates = (db: D1Database, slug: string) =>
  db
    .prepare(`SELECT id, slug, title, body, title_template, body_template, default_goal, moderation, new_campaigns_per_hour
       FROM efforts WHERE slug = ?1`)
    .bind(slug)
    .first<EffortTemplateRow>();

export const getTarget = (db: D1Database, effortId: number, targetId: number) =>
  db
    .prepare('SELECT id, effort_id, name, title, jurisdiction, state, lat, lon FROM targets WHERE id = ?1 AND effort_id = ?2')
    .bind(targetId, effortId)
    .first<TargetRow>();

/** Which of the candidate slugs are already taken (by any campaign, whatever its status). */
export async function takenSlugs(db: D1Database, candidates: string[]): Promise<Set<string>> {
  const { results } = await db
    .prepare(`SELECT slug FROM campaigns WHERE slug IN (SELECT value FROM json_each(?1))`)
    .bind(JSON.stringify(candidates))
    .all<{ slug: string }>();
  return new Set(results.map((r) => r.slug));
}

export interface NewCampaignRow {
  effortId: number;
  targetId: number | null;
  slug: string;
  town: string;
  state: string;
  lat: number;
  lon: number;
  targetName: string;
  targetTitle: string;
  title: string;
  body: string;
  goal: number;
  creatorName: string | null;
  creatorEmail: string | null;
  status: CampaignStatus;
  heldReason?: string | null;
  creatorLang?: string | null;
}

/** Inserts a campaign; null when the slug was taken meanwhile (the caller picks another). */
export async function insertCampaign(db: D1Database, c: NewCampaignRow): Promise<number | null> {
  const row = await db
    .prepare(
      `INSERT INTO campaigns (effort_id, target_id, slug, town, state, lat, lon, target_name, target_title,
                              title, body, goal, creator_name, creator_email, status, held_reason, creator_lang)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
       ON CONFLICT (slug) DO NOTHING
       RETURNING id`,
    )
    .bind(c.effortId, c.targetId, c.slug, c.town, c.state, c.lat, c.lon, c.targetName, c.targetTitle, c.title, c.body,
      c.goal, c.creatorName, c.creatorEmail, c.status, c.heldReason ?? null, c.creatorLang ?? null)
    .first<{ id: number }>();
  return row?.id ?? null;
}

/** Campaigns supporters started in the effort in the last hour (organizers' own have no creator). */
export const supporterCampaignsLastHour = async (db: D1Database, effortId: number) =>
  (
    await db
      .prepare(
        `SELECT count(*) AS n FROM campaigns
          WHERE effort_id = ?1 AND created_at > strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-1 hour') AND creator_email IS NOT NULL`,
      )
      .bind(effortId)
      .first<{ n: number }>()
  )?.n ?? 0;

/**
 * Whether `origin` is a site the start page may lead back to for this effort: one of the effort's
 * sites, or one of the partner's.
 */
export const isRegisteredSite = async (db: D1Database, effortId: number, origin: string, partner: string | null) =>
  (
    await db
      .prepare(
        `SELECT EXISTS (SELECT 1 FROM effort_origins WHERE effort_id = ?1 AND origin = ?2)
             OR EXISTS (SELECT 1 FROM partner_origins WHERE partner_code = ?3 AND origin = ?2) AS ok`,
      )
      .bind(effortId, origin, partner)
      .first<{ ok: number }>()
  )?.ok === 1;
