/**
 * The k nearest rows around a point, through the grid index (the `cell` column, see geo.ts).
 * Knows nothing of HTTP and of which table it reads: the caller passes two queries.
 *
 * It reads the fine cells around the point first (FINE_RING, enough in a dense city); then the coarse
 * cells of a square ring around the point's cell, radius 1 first, then wider
 * (3×, or just enough to hold the k-th candidate found so far, see nextRing), each query reading only the cells the previous ones did not (an annulus), and keeps the k closest
 * rows seen so far (each query returns its own k closest, ranked by haversine distance in SQL, so
 * the merge is exact). It stops as soon as the k-th closest lies within the circle inscribed in the
 * square: nothing outside the square can be closer; with a distance limit it reads no further than the
 * ring holding that circle. Past MAX_RING_CELLS (~700 km) it asks once
 * for the k closest of the whole effort (cheap for a small effort; at 30,000 campaigns never reached
 * inside the US). An effort known to be small (`total`) is ranked in one query straight away.
 */
import { FINE, ringCoversWorld, ringInnerRadiusKm, ringRanges } from '../geo.ts';

export const MAX_RING_CELLS = 128;
/** The first ring: 1 is the 3 × 3 cells around the point (0, its own cell alone, measured worse: more queries, no fewer rows). */
export const FIRST_RING = 1;
/** Each ring's radius is this many times the previous one's: fewer queries against more rows read. */
export const GROWTH = 3;
/** An effort with at most this many candidates is ranked in one query over all of them. */
export const SCAN_ALL_BELOW = 200;

export interface Ranked {
  id: number;
  distance_km: number;
}

/**
 * The first step: the fine cells (0.01°, `cell_fine`) within this many of the point's own, a square
 * about 7.7 km tall. In a dense city the k closest are provably inside it and the search ends there,
 * having read a few dozen rows; elsewhere it holds few rows and the coarse rings take over.
 */
export const FINE_RING = 3;

export interface RingStats {
  /** D1's meta.rows_read summed over the queries. */
  rowsRead: number;
  queries: number;
}

export interface RingQueries<T extends Ranked> {
  /** The k closest rows whose cell is in one of these [first, last] ranges (JSON text), closest first. */
  inRanges(rangesJson: string, k: number): Promise<D1Result<T>>;
  /** The same over `cell_fine`, the fine grid (geo.ts FINE). */
  inFineRanges(rangesJson: string, k: number): Promise<D1Result<T>>;
  /** The k closest rows of all, closest first. */
  all(k: number): Promise<D1Result<T>>;
}

const rowsRead = (r: D1Result<unknown>) => Number(r.meta?.rows_read ?? 0);

/** The smallest ring radius (cells) whose inscribed circle has a radius of at least `km`. */
function ringHolding(lat: number, lon: number, km: number): number {
  let hi = 1;
  while (ringInnerRadiusKm(lat, lon, hi) < km && hi <= MAX_RING_CELLS) hi *= 2;
  let lo = Math.floor(hi / 2);
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ringInnerRadiusKm(lat, lon, mid) >= km) hi = mid;
    else lo = mid + 1;
  }
  return Math.max(1, hi);
}

/**
 * The next ring's radius. With k candidates in hand, the ring holding the k-th one's distance is
 * the last one needed (whatever lies outside it is farther). With fewer, the ring grows with the
 * density seen so far (area ∝ k / found), at most GROWTH times.
 */
function nextRing(lat: number, lon: number, outer: number, best: Ranked[], k: number): number {
  const r = Math.max(1, outer);
  const kth = best[k - 1];
  if (kth) return Math.min(r * GROWTH, ringHolding(lat, lon, kth.distance_km));
  if (!best.length) return r * GROWTH;
  return Math.min(r * GROWTH, Math.ceil(r * Math.sqrt(k / best.length) * 1.2));
}

/** The k rows closest to (lat, lon), closest first, none farther than maxKm. */
export async function ringSearch<T extends Ranked>(
  lat: number,
  lon: number,
  k: number,
  maxKm: number,
  q: RingQueries<T>,
  /** How many rows the search could find at most, when known: a small set is read in one query. */
  total = Infinity,
): Promise<{ rows: T[]; stats: RingStats }> {
  const stats: RingStats = { rowsRead: 0, queries: 0 };
  let best: T[] = [];
  const within = (rows: T[]) => rows.filter((r) => r.distance_km <= maxKm);
  // The ring that holds the whole circle of radius maxKm: no need to read past it.
  const last = maxKm === Infinity ? Infinity : ringHolding(lat, lon, maxKm);
  // The fine square first (not for an effort small enough to rank in one query).
  if (total > SCAN_ALL_BELOW) {
    const res = await q.inFineRanges(JSON.stringify(FINE.ringRanges(lat, lon, -1, FINE_RING)), k);
    stats.queries++;
    stats.rowsRead += rowsRead(res);
    best = res.results;
    const radius = FINE.ringInnerRadiusKm(lat, lon, FINE_RING);
    const kth = best[k - 1];
    if (radius >= maxKm || (kth && kth.distance_km <= radius)) return { rows: within(best), stats };
  }
  // The coarse rings; rows the fine square already gave come again (its square lies inside the first ring).
  const seen = new Set(best.map((r) => r.id));
  for (let inner = -1, outer = FIRST_RING; ; inner = outer, outer = Math.max(outer + 1, Math.min(nextRing(lat, lon, outer, best, k), last))) {
    if (outer > MAX_RING_CELLS || total <= SCAN_ALL_BELOW) {
      const res = await q.all(k);
      stats.queries++;
      stats.rowsRead += rowsRead(res);
      return { rows: within(res.results), stats };
    }
    const res = await q.inRanges(JSON.stringify(ringRanges(lat, lon, inner, outer)), k);
    stats.queries++;
    stats.rowsRead += rowsRead(res);
    const fresh = res.results.filter((r) => !seen.has(r.id));
    for (const r of fresh) seen.add(r.id);
    best = [...best, ...fresh].sort((a, b) => a.distance_km - b.distance_km || a.id - b.id).slice(0, k);
    const radius = ringInnerRadiusKm(lat, lon, outer);
    const kth = best[k - 1];
    if (radius >= maxKm || (kth && kth.distance_km <= radius) || ringCoversWorld(lat, lon, outer)) {
      return { rows: within(best), stats };
    }
  }
}

/**
 * SQL for the haversine distance in km from (?2, ?3) to the row's (lat, lon): the same formula as
 * geo.ts distanceKm, with D1's math functions.
 */
export const haversineSql = (alias: string) =>
  `(2 * 6371.0088 * asin(min(1, sqrt(
      pow(sin(radians(${alias}.lat - ?2) / 2), 2)
      + cos(radians(?2)) * cos(radians(${alias}.lat)) * pow(sin(radians(${alias}.lon - ?3) / 2), 2)))))`;
