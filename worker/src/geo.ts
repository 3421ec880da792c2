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
// (about 5.6 km north–south), and `cell_fine`, its 0.01° × 0.01° cell (about 1.1 km), computed by the
// triggers of migrations 0002 and 0007 with the same arithmetic as `cellOf` below. A lookup reads the
// fine cells right around the query point first (enough where campaigns are dense: a city), then the
// cells of a square ring of coarse cells that widens until the k-th closest candidate is provably
// inside the circle the ring contains (see db/ring.ts).

/** One grid: its cell arithmetic (must match the SQL of the triggers) and the ring geometry on it. */
export interface Grid {
  /** Cells per degree: 20 for `cell`, 100 for `cell_fine`. */
  readonly perDegree: number;
  readonly cols: number;
  readonly rows: number;
  /** Row and column of a point, exactly as SQLite computes them in the triggers. */
  cellIndex(lat: number, lon: number): { row: number; col: number };
  /** The cell id stored in the column. */
  cellOf(lat: number, lon: number): number;
  /**
   * The cells at Chebyshev distance in (inner, outer] from the query point's cell, as sorted,
   * merged ranges of cell ids [first, last]: the square of radius `outer` minus the square of radius
   * `inner` (inner = -1: the whole square). Rows stop at the poles; columns wrap at the antimeridian.
   */
  ringRanges(lat: number, lon: number, inner: number, outer: number): Array<[number, number]>;
  /** Whether the square of radius `r` cells around the point covers the whole globe. */
  ringCoversWorld(lat: number, lon: number, r: number): boolean;
  /**
   * The radius (km) of the largest circle around (lat, lon) that lies inside the square of cells of
   * radius `r`: every point closer than this is in one of the square's cells, so a candidate found
   * at most this far away is provably ranked right.
   * North–south it is the distance to the nearer edge row; east–west, a spherical cap of angular
   * radius δ around latitude φ spans at most asin(sin δ / cos φ) of longitude, so δ ≤ asin(sin g · cos φ)
   * for a longitude gap g to the nearer edge column.
   */
  ringInnerRadiusKm(lat: number, lon: number, r: number): number;
}

export function makeGrid(perDegree: number): Grid {
  const cols = 360 * perDegree;
  const rows = 180 * perDegree;
  const cellIndex = (lat: number, lon: number) => ({
    row: Math.min(Math.trunc((lat + 90) * perDegree), rows - 1),
    col: Math.trunc((lon + 180) * perDegree) % cols,
  });
  /** Column intervals [a, b] (0 ≤ a ≤ b < cols) covering the unwrapped columns from..to. */
  const wrapColumns = (from: number, to: number): Array<[number, number]> => {
    if (to < from) return [];
    if (to - from + 1 >= cols) return [[0, cols - 1]];
    const a = ((from % cols) + cols) % cols;
    const b = a + (to - from);
    return b < cols ? [[a, b]] : [[a, cols - 1], [0, b - cols]];
  };
  return {
    perDegree,
    cols,
    rows,
    cellIndex,
    cellOf(lat, lon) {
      const { row, col } = cellIndex(lat, lon);
      return row * cols + col;
    },
    ringRanges(lat, lon, inner, outer) {
      const { row: r0, col: c0 } = cellIndex(lat, lon);
      const innerFull = inner >= 0 && 2 * inner + 1 >= cols;
      const out: Array<[number, number]> = [];
      for (let row = Math.max(0, r0 - outer); row <= Math.min(rows - 1, r0 + outer); row++) {
        let cs: Array<[number, number]>;
        if (inner < 0 || Math.abs(row - r0) > inner) cs = wrapColumns(c0 - outer, c0 + outer);
        else if (innerFull) cs = [];
        else if (2 * outer + 1 >= cols) cs = wrapColumns(c0 + inner + 1, c0 - inner - 1 + cols);
        else cs = [...wrapColumns(c0 - outer, c0 - inner - 1), ...wrapColumns(c0 + inner + 1, c0 + outer)];
        for (const [a, b] of cs.sort((x, y) => x[0] - y[0])) {
          const first = row * cols + a;
          const last = row * cols + b;
          const prev = out[out.length - 1];
          if (prev && prev[1] + 1 >= first) prev[1] = Math.max(prev[1], last);
          else out.push([first, last]);
        }
      }
      return out;
    },
    ringCoversWorld(lat, lon, r) {
      const { row } = cellIndex(lat, lon);
      return row - r <= 0 && row + r >= rows - 1 && 2 * r + 1 >= cols;
    },
    ringInnerRadiusKm(lat, lon, r) {
      const { row, col } = cellIndex(lat, lon);
      const south = Math.max(-90, (row - r) / perDegree - 90);
      const north = Math.min(90, (row + r + 1) / perDegree - 90);
      let delta = rad(Math.max(0, Math.min(lat - south, north - lat)));
      if (2 * r + 1 < cols) {
        const west = (col - r) / perDegree - 180;
        const east = (col + r + 1) / perDegree - 180;
        const lonNorm = lon >= 180 ? lon - 360 : lon;
        const gap = Math.max(0, Math.min(lonNorm - west, east - lonNorm));
        if (gap < 90) delta = Math.min(delta, Math.asin(Math.min(1, Math.sin(rad(gap)) * Math.cos(rad(lat)))));
      }
      return delta * EARTH_RADIUS_KM;
    },
  };
}

/** The coarse grid of `cell`. Must match migration 0002's triggers: CAST((lat + 90) * 20 AS INTEGER) … */
export const COARSE = makeGrid(20);
/** The fine grid of `cell_fine`. Must match migration 0007's triggers: CAST((lat + 90) * 100 AS INTEGER) … */
export const FINE = makeGrid(100);

/** Cells per degree of the coarse grid, and its size. */
export const CELLS_PER_DEGREE = COARSE.perDegree;
export const GRID_COLS = COARSE.cols;
export const GRID_ROWS = COARSE.rows;
export const cellIndex = COARSE.cellIndex;
export const cellOf = COARSE.cellOf;
export const ringRanges = COARSE.ringRanges;
export const ringCoversWorld = COARSE.ringCoversWorld;
export const ringInnerRadiusKm = COARSE.ringInnerRadiusKm;

/** Kilometres → statute miles. */
export const KM_PER_MILE = 1.609344;
