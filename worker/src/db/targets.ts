/** SQL for an effort's targets (the officials). Knows nothing of HTTP. */
import { haversineSql, ringSearch, type RingStats } from './ring.ts';

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
  const cols = 't.id, t.name, t.title, t.jurisdiction, t.state, t.lat, t.lon';
  const distance = haversineSql('t');
  const inRanges = db.prepare(
    `SELECT ${cols}, ${distance} AS distance_km
       FROM json_each(?4) AS r CROSS JOIN targets t
      WHERE t.effort_id = ?1 AND t.cell BETWEEN r.value ->> 0 AND r.value ->> 1 AND ${AWAITING}`,
  );
  const inFineRanges = db.prepare(
    `SELECT ${cols}, ${distance} AS distance_km
       FROM json_each(?4) AS r CROSS JOIN targets t
      WHERE t.effort_id = ?1 AND t.cell_fine BETWEEN r.value ->> 0 AND r.value ->> 1 AND ${AWAITING}`,
  );
  const inWideRanges = db.prepare(
    `SELECT ${cols}, ${distance} AS distance_km
       FROM json_each(?4) AS r CROSS JOIN targets t
      WHERE t.effort_id = ?1 AND t.cell_wide BETWEEN r.value ->> 0 AND r.value ->> 1 AND ${AWAITING}`,
  );
  const all = db.prepare(
    `SELECT ${cols}, ${distance} AS distance_km
       FROM targets t
      WHERE t.effort_id = ?1 AND ${AWAITING}
      ORDER BY distance_km, t.id LIMIT ?4`,
  );
  return ringSearch<AwaitingTargetRow>(lat, lon, limit, maxKm, {
    inRanges: (ranges) => inRanges.bind(effortId, lat, lon, ranges).all<AwaitingTargetRow>(),
    inFineRanges: (ranges) => inFineRanges.bind(effortId, lat, lon, ranges).all<AwaitingTargetRow>(),
    inWideRanges: (ranges) => inWideRanges.bind(effortId, lat, lon, ranges).all<AwaitingTargetRow>(),
    all: (k) => all.bind(effortId, lat, lon, k).all<AwaitingTargetRow>(),
  });
}
