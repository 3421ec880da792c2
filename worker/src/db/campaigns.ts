/** SQL for local campaigns. Knows nothing of HTTP. */
import { boundingBox, distanceKm } from '../geo.ts';

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
  status: 'live' | 'unlisted' | 'pending' | 'suppressed';
  signature_count: number;
}

export type CampaignWithEffortRow = CampaignRow & { effort_slug: string; effort_title: string };

const COLUMNS = `c.id, c.effort_id, c.slug, c.town, c.state, c.lat, c.lon, c.target_name, c.target_title,
  c.title, c.body, c.goal, c.creator_name, c.status, c.signature_count`;

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

export type NearbyRow = CampaignRow & { distance_km: number };

/**
 * The `limit` listed campaigns of an effort closest to (lat, lon), closest first.
 * Reads the (effort_id, lat, lon) index inside a bounding box that doubles until it holds
 * `limit` campaigns whose distance is provably no greater than the box's radius.
 */
export async function nearestCampaigns(
  db: D1Database,
  effortId: number,
  lat: number,
  lon: number,
  limit: number,
  startKm = 100,
): Promise<NearbyRow[]> {
  const stmt = db.prepare(
    `SELECT ${COLUMNS} FROM campaigns c
      WHERE c.effort_id = ?1 AND c.status = 'live'
        AND c.lat BETWEEN ?2 AND ?3 AND c.lon BETWEEN ?4 AND ?5`,
  );
  for (let km = startKm; ; km *= 2) {
    const box = boundingBox(lat, lon, km);
    const { results } = await stmt.bind(effortId, box.minLat, box.maxLat, box.minLon, box.maxLon).all<CampaignRow>();
    const ranked = results
      .map((row) => ({ ...row, distance_km: distanceKm(lat, lon, row.lat, row.lon) }))
      .sort((a, b) => a.distance_km - b.distance_km);
    const whole = box.minLat === -90 && box.maxLat === 90 && box.minLon === -180;
    // Inside the circle of radius km, every campaign is in the box: the ranking is exact there.
    const inCircle = ranked.filter((r) => r.distance_km <= km);
    if (inCircle.length >= limit || whole) return (whole ? ranked : inCircle).slice(0, limit);
  }
}
