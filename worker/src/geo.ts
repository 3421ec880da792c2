/** Great-circle geometry on a sphere of the Earth's mean radius. Pure functions. */
export const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;

/** Haversine distance in kilometres. */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

export interface Box {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

/**
 * A latitude/longitude box that contains every point within `km` of (lat, lon).
 * Near the poles or across the antimeridian it widens to all longitudes (never too small).
 */
export function boundingBox(lat: number, lon: number, km: number): Box {
  const dLat = (km / EARTH_RADIUS_KM) * (180 / Math.PI);
  const minLat = Math.max(-90, lat - dLat);
  const maxLat = Math.min(90, lat + dLat);
  const cosLat = Math.min(Math.cos(rad(minLat)), Math.cos(rad(maxLat)));
  const dLon = cosLat <= 1e-9 ? 180 : (dLat / cosLat);
  if (dLon >= 180 || lon - dLon < -180 || lon + dLon > 180) return { minLat, maxLat, minLon: -180, maxLon: 180 };
  return { minLat, maxLat, minLon: lon - dLon, maxLon: lon + dLon };
}

/** Rounds a distance for display in an API response (0.1 km). */
export const roundKm = (km: number) => Math.round(km * 10) / 10;

// ---------------------------------------------------------------------------------------------
// The grid index. Every campaign and target stores `cell`, the 0.05° × 0.05° cell of its point
// (about 5.6 km north–south), computed by the triggers of migration 0002 with the same arithmetic as
// `cellOf` below. A lookup reads the cells of a square ring around the query point that widens until
// the k-th closest candidate is provably inside the circle the ring contains (see db/ring.ts).

/** Cells per degree. Must match migration 0002's triggers: CAST((lat + 90) * 20 AS INTEGER) … */
export const CELLS_PER_DEGREE = 20;
/** Columns (longitude) and rows (latitude) of the grid. */
export const GRID_COLS = 360 * CELLS_PER_DEGREE;
export const GRID_ROWS = 180 * CELLS_PER_DEGREE;

/** Row and column of a point, exactly as SQLite computes them in the triggers. */
export function cellIndex(lat: number, lon: number): { row: number; col: number } {
  const row = Math.min(Math.trunc((lat + 90) * CELLS_PER_DEGREE), GRID_ROWS - 1);
  const col = Math.trunc((lon + 180) * CELLS_PER_DEGREE) % GRID_COLS;
  return { row, col };
}

/** The cell id stored in campaigns.cell and targets.cell. */
export function cellOf(lat: number, lon: number): number {
  const { row, col } = cellIndex(lat, lon);
  return row * GRID_COLS + col;
}

/** Column intervals [a, b] (0 ≤ a ≤ b < GRID_COLS) covering the unwrapped columns from..to. */
function wrapColumns(from: number, to: number): Array<[number, number]> {
  if (to < from) return [];
  if (to - from + 1 >= GRID_COLS) return [[0, GRID_COLS - 1]];
  const a = ((from % GRID_COLS) + GRID_COLS) % GRID_COLS;
  const b = a + (to - from);
  return b < GRID_COLS ? [[a, b]] : [[a, GRID_COLS - 1], [0, b - GRID_COLS]];
}

/**
 * The cells at Chebyshev distance in (inner, outer] from the query point's cell, as sorted,
 * merged ranges of cell ids [first, last]: the square of radius `outer` minus the square of radius
 * `inner` (inner = -1: the whole square). Rows stop at the poles; columns wrap at the antimeridian.
 */
export function ringRanges(lat: number, lon: number, inner: number, outer: number): Array<[number, number]> {
  const { row: r0, col: c0 } = cellIndex(lat, lon);
  const innerFull = inner >= 0 && 2 * inner + 1 >= GRID_COLS;
  const out: Array<[number, number]> = [];
  for (let row = Math.max(0, r0 - outer); row <= Math.min(GRID_ROWS - 1, r0 + outer); row++) {
    let cols: Array<[number, number]>;
    if (inner < 0 || Math.abs(row - r0) > inner) cols = wrapColumns(c0 - outer, c0 + outer);
    else if (innerFull) cols = [];
    else if (2 * outer + 1 >= GRID_COLS) cols = wrapColumns(c0 + inner + 1, c0 - inner - 1 + GRID_COLS);
    else cols = [...wrapColumns(c0 - outer, c0 - inner - 1), ...wrapColumns(c0 + inner + 1, c0 + outer)];
    for (const [a, b] of cols.sort((x, y) => x[0] - y[0])) {
      const first = row * GRID_COLS + a;
      const last = row * GRID_COLS + b;
      const prev = out[out.length - 1];
      if (prev && prev[1] + 1 >= first) prev[1] = Math.max(prev[1], last);
      else out.push([first, last]);
    }
  }
  return out;
}

/** Whether the square of radius `r` cells around the point covers the whole globe. */
export function ringCoversWorld(lat: number, lon: number, r: number): boolean {
  const { row } = cellIndex(lat, lon);
  return row - r <= 0 && row + r >= GRID_ROWS - 1 && 2 * r + 1 >= GRID_COLS;
}

/**
 * The radius (km) of the largest circle around (lat, lon) that lies inside the square of cells of
 * radius `r`: every point closer than this is in one of the square's cells, so a candidate found
 * at most this far away is provably ranked right.
 * North–south it is the distance to the nearer edge row; east–west, a spherical cap of angular
 * radius δ around latitude φ spans at most asin(sin δ / cos φ) of longitude, so δ ≤ asin(sin g · cos φ)
 * for a longitude gap g to the nearer edge column.
 */
export function ringInnerRadiusKm(lat: number, lon: number, r: number): number {
  const { row, col } = cellIndex(lat, lon);
  const south = Math.max(-90, (row - r) / CELLS_PER_DEGREE - 90);
  const north = Math.min(90, (row + r + 1) / CELLS_PER_DEGREE - 90);
  let delta = rad(Math.max(0, Math.min(lat - south, north - lat)));
  if (2 * r + 1 < GRID_COLS) {
    const west = (col - r) / CELLS_PER_DEGREE - 180;
    const east = (col + r + 1) / CELLS_PER_DEGREE - 180;
    const lonNorm = lon >= 180 ? lon - 360 : lon;
    const gap = Math.max(0, Math.min(lonNorm - west, east - lonNorm));
    if (gap < 90) delta = Math.min(delta, Math.asin(Math.min(1, Math.sin(rad(gap)) * Math.cos(rad(lat)))));
  }
  return delta * EARTH_RADIUS_KM;
}

/** Kilometres → statute miles. */
export const KM_PER_MILE = 1.609344;
