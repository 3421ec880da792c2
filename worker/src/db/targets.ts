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

/** A target is awaiting a campaign while no campaign aimed at it is live or unlisted. */
const AWAITING = `NOT EXISTS (SELECT 1 FROM campaigns x WHERE x.target_id = t.id AND x.status IN ('live', 'unlisted'))`;

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
      WHERE t.effort_id = ?1 AND t.cell BETWEEN r.value ->> 0 AND r.value ->> 1 AND ${AWAITING}
      ORDER BY distance_km, t.id LIMIT ?5`,
  );
  const inFineRanges = db.prepare(
    `SELECT ${cols}, ${distance} AS distance_km
       FROM json_each(?4) AS r CROSS JOIN targets t
      WHERE t.effort_id = ?1 AND t.cell_fine BETWEEN r.value ->> 0 AND r.value ->> 1 AND ${AWAITING}
      ORDER BY distance_km, t.id LIMIT ?5`,
  );
  const all = db.prepare(
    `SELECT ${cols}, ${distance} AS distance_km
       FROM targets t
      WHERE t.effort_id = ?1 AND ${AWAITING}
      ORDER BY distance_km, t.id LIMIT ?4`,
  );
  return ringSearch<AwaitingTargetRow>(lat, lon, limit, maxKm, {
    inRanges: (ranges, k) => inRanges.bind(effortId, lat, lon, ranges, k).all<AwaitingTargetRow>(),
    inFineRanges: (ranges, k) => inFineRanges.bind(effortId, lat, lon, ranges, k).all<AwaitingTargetRow>(),
    all: (k) => all.bind(effortId, lat, lon, k).all<AwaitingTargetRow>(),
  });
}
