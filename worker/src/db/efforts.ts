/** SQL for efforts. Knows nothing of HTTP. */
export interface EffortRow {
  id: number;
  slug: string;
  title: string;
  body: string;
  goal: number;
  distance_limit_km: number;
  signature_count: number;
  campaign_count: number;
}

export const getEffort = (db: D1Database, slug: string) =>
  db
    .prepare(
      `SELECT id, slug, title, body, goal, distance_limit_km, signature_count, campaign_count
         FROM efforts WHERE slug = ?1`,
    )
    .bind(slug)
    .first<EffortRow>();

/**
 * The effort's lookup generation: bumped by triggers whenever what a lookup lists changes (migration
 * 0006), however the change was made (an organizer, the targets import, SQL by hand). Read on every
 * lookup (one primary-key row), so a cached lookup answer never outlives such a change.
 */
export const getLookupGen = async (db: D1Database, effortId: number) =>
  (await db.prepare('SELECT lookup_gen FROM efforts WHERE id = ?1').bind(effortId).first<{ lookup_gen: number }>())?.lookup_gen ?? 0;
