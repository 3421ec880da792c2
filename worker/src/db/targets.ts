/** SQL for an effort's targets (the officials). Knows nothing of HTTP. */
import { gridQueries, ringSearch, type RingStats } from './ring.ts';

export interface TargetRow {
  id: number;
  name: string;
  title: string;
  jurisdiction: string;
  state: string;
  lat: number;
  lon: number;
}

export type AwaitingTargetRow = TargetRow & { distance_km: number };

/**
 * A target is awaiting a campaign while no campaign aimed at it is live or unlisted: the `awaiting`
 * column, kept by migration 0008's triggers, and the condition of the partial indexes the grid reads.
 */
const AWAITING = 't.awaiting = 1';

/**
 * The `limit` targets of an effort closest to (lat, lon) and within maxKm that await a campaign,
 * closest first, with what the search cost. Uses the grid index (db/ring.ts).
 */
export async function nearestAwaitingTargets(
  db: D1Database,
  effortId: number,
  lat: number,
  lon: number,
  limit: number,
  maxKm: number,
): Promise<{ rows: AwaitingTargetRow[]; stats: RingStats }> {
  const columns = 't.id, t.name, t.title, t.jurisdiction, t.state, t.lat, t.lon';
  const queries = gridQueries<AwaitingTargetRow>(db, { table: 'targets', alias: 't', columns, where: AWAITING }, effortId, lat, lon);
  return ringSearch(lat, lon, limit, maxKm, queries);
}
