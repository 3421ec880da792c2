/** SQL for efforts. Knows nothing of HTTP. */
export interface EffortRow {
  id: number;
  slug: string;
  title: string;
  body: string;
  goal: number;
  distance_limit_km: number;
  signature_count: number;
  confirmed_count: number;
  campaign_count: number;
}

export const getEffort = (db: D1Database, slug: string) =>
  db
    .prepare(
      `SELECT id, slug, title, body, goal, distance_limit_km, signature_count, confirmed_count, campaign_count
         FROM efforts WHERE slug = ?1`,
    )
    .bind(slug)
    .first<EffortRow>();

/** What a read needs to know about an effort besides the cached answer (see middleware/origin.ts). */
export interface EffortReadFacts {
  /**
   * The effort's lookup generation: bumped by triggers whenever what a lookup lists changes (migration
   * 0006), however the change was made (an organizer, the targets import, SQL by hand).
   */
  lookupGen: number;
  /** The sites allowed to embed the effort, lower-case origins; empty: any site. */
  origins: string[];
}

/** The lookup generation and the effort's site allow-list, in one primary-key read. */
export async function getEffortReadFacts(db: D1Database, effortId: number): Promise<EffortReadFacts> {
  const row = await db
    .prepare(
      `SELECT lookup_gen, (SELECT json_group_array(origin) FROM effort_origins WHERE effort_id = ?1) AS origins
         FROM efforts WHERE id = ?1`,
    )
    .bind(effortId)
    .first<{ lookup_gen: number; origins: string | null }>();
  return { lookupGen: row?.lookup_gen ?? 0, origins: row?.origins ? (JSON.parse(row.origins) as string[]) : [] };
}
