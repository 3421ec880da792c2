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
