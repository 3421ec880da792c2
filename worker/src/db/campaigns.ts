/** SQL for local campaigns. Knows nothing of HTTP. */
import type { CampaignStatus } from '../schemas.ts';
import { gridQueries, ringSearch, type RingStats } from './ring.ts';

export interface CampaignRow {
  id: number;
  effort_id: number;
  slug: string;
  town: string;
  state: string;
  lat: number;
  lon: number;
  target_name: string;
  target_title: string;
  title: string;
  body: string;
  goal: number;
  creator_name: string | null;
  status: CampaignStatus;
  signature_count: number;
  confirmed_count: number;
}

export type CampaignWithEffortRow = CampaignRow & { effort_slug: string; effort_title: string };

const COLUMNS = `c.id, c.effort_id, c.slug, c.town, c.state, c.lat, c.lon, c.target_name, c.target_title,
  c.title, c.body, c.goal, c.creator_name, c.status, c.signature_count, c.confirmed_count`;

/** A campaign reachable by its link: live, or unlisted (awaiting approval); never pending or suppressed. */
export const getReachableCampaign = (db: D1Database, slug: string) =>
  db
    .prepare(
      `SELECT ${COLUMNS}, e.slug AS effort_slug, e.title AS effort_title
         FROM campaigns c JOIN efforts e ON e.id = c.effort_id
        WHERE c.slug = ?1 AND c.status IN ('live', 'unlisted')`,
    )
    .bind(slug)
    .first<CampaignWithEffortRow>();

/** What a list of nearby campaigns shows (no body: a search may read hundreds of candidates). */
export type CampaignSummaryRow = Omit<CampaignRow, 'body' | 'effort_id' | 'status'>;
const SUMMARY_COLUMNS = `c.id, c.slug, c.town, c.state, c.lat, c.lon, c.target_name, c.target_title,
  c.title, c.goal, c.creator_name, c.signature_count, c.confirmed_count`;

export type NearbyRow = CampaignSummaryRow & { distance_km: number };

/**
 * The `limit` listed (live) campaigns of an effort closest to (lat, lon), closest first, none farther
 * than maxKm, with what the search cost (rows read, queries). Uses the grid index (db/ring.ts).
 */
export async function nearestCampaignsWithStats(
  db: D1Database,
  effortId: number,
  lat: number,
  lon: number,
  limit: number,
  maxKm = Infinity,
  /** The effort's live campaign count, if known (efforts.campaign_count): a small effort is one query. */
  liveCount = Infinity,
): Promise<{ rows: NearbyRow[]; stats: RingStats }> {
  const queries = gridQueries<NearbyRow>(db, { table: 'campaigns', alias: 'c', columns: SUMMARY_COLUMNS, where: "c.status = 'live'" }, effortId, lat, lon);
  return ringSearch(lat, lon, limit, maxKm, queries, liveCount);
}

/** The `limit` listed campaigns of an effort closest to (lat, lon), closest first. */
export async function nearestCampaigns(
  db: D1Database,
  effortId: number,
  lat: number,
  lon: number,
  limit: number,
): Promise<NearbyRow[]> {
  return (await nearestCampaignsWithStats(db, effortId, lat, lon, limit)).rows;
}
