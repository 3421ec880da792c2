/**
 * The k nearest rows around a point, through the grid index (the `cell`, `cell_fine` and `cell_wide`
 * columns, see geo.ts). Knows nothing of HTTP and of which table it reads: the caller passes the queries.
 *
 * It reads the cells of growing circles around the point and keeps the k closest rows seen so far.
 * Once every cell that holds a point within R km has been read, every row within R is known: the
 * search stops as soon as the k-th closest lies within R, or R reaches the distance limit. The first
 * circle (FINE_KM) is read in fine cells: in a dense city the k closest are inside it. Then coarse
 * cells, then wide ones past COARSE_MAX_KM (a wide circle is a few dozen ranges where coarse cells
 * would need hundreds, and each range costs D1 reads even when empty). On one grid each query reads
 * only the cells the circle before did not (an annulus); on moving to a wider grid, the whole circle.
 * Each query returns every row of its cells with its distance: the ranking is done here, so each row
 * counts once in D1's rows read (ORDER BY … LIMIT in SQL would count it again through the sorter).
 *
 * How far the next circle reaches: with k candidates in hand, exactly the k-th one's distance (the
 * last step); with fewer, the radius grows with the density seen so far (area ∝ k / found), at most
 * GROWTH times (GROWTH² while nothing at all is found). Past MAX_RING_KM, or after MAX_RING_QUERIES
 * circles, it asks once for the k closest of the whole effort: a search is at most
 * MAX_RING_QUERIES + 1 queries. An effort known to be small (`total`) is ranked in one query straight away.
 */
import { COARSE, FINE, WIDE, type Grid } from '../geo.ts';

/** The first circle's radius (km), read in fine cells. */
export const FINE_KM = 3.5;
/** The widest circle (km) read in coarse cells; wider ones are read in wide cells (tuned with bench/lookup.ts). */
export const COARSE_MAX_KM = 15;
/** Each circle's radius is at most this many times the previous one's. */
export const GROWTH = 2.5;
/** Beyond this radius (km) the search asks for the k closest of the whole effort in one query. */
export const MAX_RING_KM = 4000;
/** An effort with at most this many candidates is ranked in one query over all of them. */
export const SCAN_ALL_BELOW = 200;
/**
 * The ceiling on one search's work: after this many circles without the answer, the last query asks
 * for the k closest of the whole effort (one query, whatever the point). A point far from everything
 * (the ocean, another continent) would otherwise widen the circle nine or ten times.
 */
export const MAX_RING_QUERIES = 10;

export interface Ranked {
  id: number;
  distance_km: number;
}

export interface RingStats {
  /** D1's meta.rows_read summed over the queries. */
  rowsRead: number;
  queries: number;
}

export interface RingQueries<T extends Ranked> {
  /**
   * Every row whose cell in `column` (one grid's, geo.ts) is in one of these [first, last] ranges
   * (JSON text), with its distance, in no order.
   */
  inCells(column: Grid['column'], rangesJson: string): Promise<D1Result<T>>;
  /** The k closest rows of all, closest first. */
  all(k: number): Promise<D1Result<T>>;
}

const rowsRead = (r: D1Result<unknown>) => Number(r.meta?.rows_read ?? 0);

/** The k closest of `rows`, closest first (ties by id, as the SQL of `all` orders them). */
const closest = <T extends Ranked>(rows: T[], k: number) =>
  [...rows].sort((a, b) => a.distance_km - b.distance_km || a.id - b.id).slice(0, k);

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
  const within = (rows: T[]) => rows.filter((r) => r.distance_km <= maxKm);
  const count = (res: D1Result<T>) => {
    stats.queries++;
    stats.rowsRead += rowsRead(res);
    return res.results;
  };
  if (total <= SCAN_ALL_BELOW) return { rows: within(count(await q.all(k))), stats };

  let best: T[] = [];
  const seen = new Set<number>();
  const read = (rows: T[]) => {
    const fresh = rows.filter((r) => !seen.has(r.id));
    for (const r of fresh) seen.add(r.id);
    best = closest([...best, ...fresh], k);
  };
  const query = (grid: Grid, ranges: Array<[number, number]>) => q.inCells(grid.column, JSON.stringify(ranges));

  // The grid last read and the radius (km) of the circle whose cells are all read.
  let grid: Grid = FINE;
  let radius = Math.min(FINE_KM, maxKm);
  read(count(await query(FINE, FINE.discRanges(lat, lon, radius))));
  for (;;) {
    const kth = best[k - 1];
    if (radius >= maxKm || (kth && kth.distance_km <= radius)) return { rows: within(best), stats };
    // Nothing at all yet: the point is far from everything, so the circle grows faster (GROWTH²).
    const density = best.length ? Math.min(GROWTH, Math.sqrt(k / best.length) * 1.2) : GROWTH * GROWTH;
    const next = Math.min(maxKm, kth ? Math.min(kth.distance_km, radius * GROWTH) : radius * density);
    if (next > MAX_RING_KM || stats.queries >= MAX_RING_QUERIES) return { rows: within(count(await q.all(k))), stats };
    const nextGrid = grid !== WIDE && next <= COARSE_MAX_KM ? COARSE : WIDE;
    read(count(await query(nextGrid, nextGrid.discRanges(lat, lon, next, nextGrid === grid ? radius : -1))));
    grid = nextGrid;
    radius = next;
  }
}

/**
 * The queries of a search over one table: `columns` and `where` (the condition of the table's partial
 * grid indexes) use `alias` for the table; ?1 is the effort, ?2 and ?3 the point, ?4 the ranges or k.
 */
export function gridQueries<T extends Ranked>(
  db: D1Database,
  from: { table: 'campaigns' | 'targets'; alias: string; columns: string; where: string },
  effortId: number,
  lat: number,
  lon: number,
): RingQueries<T> {
  const { table, alias, columns, where } = from;
  const distance = haversineSql(alias);
  const inCells = (column: Grid['column']) =>
    db.prepare(
      `SELECT ${columns}, ${distance} AS distance_km
         FROM json_each(?4) AS r CROSS JOIN ${table} ${alias}
        WHERE ${alias}.effort_id = ?1 AND ${alias}.${column} BETWEEN r.value ->> 0 AND r.value ->> 1 AND ${where}`,
    );
  const all = db.prepare(
    `SELECT ${columns}, ${distance} AS distance_km
       FROM ${table} ${alias}
      WHERE ${alias}.effort_id = ?1 AND ${where}
      ORDER BY distance_km, ${alias}.id LIMIT ?4`,
  );
  return {
    inCells: (column, ranges) => inCells(column).bind(effortId, lat, lon, ranges).all<T>(),
    all: (k) => all.bind(effortId, lat, lon, k).all<T>(),
  };
}

/**
 * SQL for the haversine distance in km from (?2, ?3) to the row's (lat, lon): the same formula as
 * geo.ts distanceKm, with D1's math functions.
 */
export const haversineSql = (alias: string) =>
  `(2 * 6371.0088 * asin(min(1, sqrt(
      pow(sin(radians(${alias}.lat - ?2) / 2), 2)
      + cos(radians(?2)) * cos(radians(${alias}.lat)) * pow(sin(radians(${alias}.lon - ?3) / 2), 2)))))`;
