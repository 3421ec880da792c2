/** Great-circle geometry on a sphere of the Earth's mean radius. Pure functions. */
export const EARTH_RADIUS_KM = 6371.0088;
const rad = (deg: number) => (deg * Math.PI) / 180;
/** The haversine of an angle (radians): sin²(x / 2). */
const hav = (x: number) => Math.sin(x / 2) ** 2;

/** Haversine distance in kilometres. */
export function distanceKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const a = hav(dLat) + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * hav(dLon);
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Rounds a distance for display in an API response (0.1 km). */
export const roundKm = (km: number) => Math.round(km * 10) / 10;

// ---------------------------------------------------------------------------------------------
// The grid index. Every campaign and target stores `cell`, the 0.05° × 0.05° cell of its point
// (about 5.6 km north–south), `cell_fine`, its 0.01° × 0.01° cell (about 1.1 km), and `cell_wide`, its
// 0.25° × 0.25° cell (about 28 km), computed by the triggers of migrations 0002, 0007 and 0008 with the
// same arithmetic as `cellOf` below. A lookup reads the fine cells of a small circle around the query
// point first (enough where campaigns are dense: a city), then of wider circles in coarse cells, then in
// wide cells, until the k-th closest candidate is provably inside the circle read (see db/ring.ts).
// Each query reads one or two ranges of cell ids per grid row: the wide grid keeps a circle hundreds
// of km across to a few dozen ranges.

/** One grid: its cell arithmetic (must match the SQL of the triggers) and the circles' cells on it. */
export interface Grid {
  /** The column of campaigns and targets that stores this grid's cell (and its partial indexes). */
  readonly column: 'cell' | 'cell_fine' | 'cell_wide';
  /** Cells per degree: 20 for `cell`, 100 for `cell_fine`, 4 for `cell_wide`. */
  readonly perDegree: number;
  readonly cols: number;
  readonly rows: number;
  /** Row and column of a point, exactly as SQLite computes them in the triggers. */
  cellIndex(lat: number, lon: number): { row: number; col: number };
  /** The cell id stored in the column. */
  cellOf(lat: number, lon: number): number;
  /**
   * The cells that hold a point within `km` of (lat, lon), minus those that hold a point within
   * `innerKm` (-1: none), as sorted, merged ranges of cell ids [first, last]. A superset, never less:
   * per grid row, the columns spanned by the circle's widest longitude inside that row.
   */
  discRanges(lat: number, lon: number, km: number, innerKm?: number): Array<[number, number]>;
}

export function makeGrid(column: Grid['column'], perDegree: number): Grid {
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
    column,
    perDegree,
    cols,
    rows,
    cellIndex,
    cellOf(lat, lon) {
      const { row, col } = cellIndex(lat, lon);
      return row * cols + col;
    },
    discRanges(lat, lon, km, innerKm = -1) {
      const { row: r0 } = cellIndex(lat, lon);
      const φ0 = rad(lat);
      const lonFrame = lon + 180 >= 360 ? lon - 360 : lon;
      /** Unwrapped columns [a, b] of this row within `d` km, `full` for the whole row, or null. */
      const span = (row: number, d: number): [number, number] | 'full' | null => {
        if (d < 0) return null;
        const δ = d / EARTH_RADIUS_KM;
        const a = rad(row / perDegree - 90);
        const b = rad((row + 1) / perDegree - 90);
        const gap = φ0 < a ? a - φ0 : φ0 > b ? φ0 - b : 0;
        if (gap > δ) return null;
        if (Math.cos(δ) <= 0) return 'full';
        // The circle's widest longitude in this row: at the latitude of the row nearest to where the
        // circle is widest overall, sin φ* = sin φ0 / cos δ (a spherical cap's extent is unimodal).
        const φ = Math.min(b, Math.max(a, Math.asin(Math.max(-1, Math.min(1, Math.sin(φ0) / Math.cos(δ))))));
        // hav δ = hav(φ − φ0) + cos φ0 cos φ hav Δλ (the haversine form: no cancellation near the poles).
        const den = Math.cos(φ0) * Math.cos(φ);
        if (den <= 1e-15) return 'full';
        const h = (hav(δ) - hav(φ - φ0)) / den;
        if (h >= 1) return 'full';
        const dLon = ((2 * Math.asin(Math.sqrt(Math.max(0, h))) * 180) / Math.PI) * (1 + 1e-9) + 1e-9;
        if (2 * dLon >= 360) return 'full';
        return [Math.floor((lonFrame - dLon + 180) * perDegree), Math.floor((lonFrame + dLon + 180) * perDegree)];
      };
      const dLat = (km / EARTH_RADIUS_KM) * (180 / Math.PI);
      // One row more each way than the arithmetic says: span() decides (rounding never drops a row).
      const first = Math.max(0, Math.min(r0, Math.floor((lat - dLat + 90) * perDegree)) - 1);
      const last = Math.min(rows - 1, Math.max(r0, Math.floor((lat + dLat + 90) * perDegree)) + 1);
      const out: Array<[number, number]> = [];
      for (let row = first; row <= last; row++) {
        const outer = span(row, km);
        if (!outer) continue;
        const inner = span(row, innerKm);
        let cs: Array<[number, number]>;
        if (inner === 'full') cs = [];
        else if (outer === 'full') cs = inner ? wrapColumns(inner[1] + 1, inner[0] - 1 + cols) : [[0, cols - 1]];
        else if (!inner) cs = wrapColumns(outer[0], outer[1]);
        else cs = [...wrapColumns(outer[0], inner[0] - 1), ...wrapColumns(inner[1] + 1, outer[1])];
        for (const [a, b] of cs.sort((x, y) => x[0] - y[0])) {
          const lo = row * cols + a;
          const hi = row * cols + b;
          const prev = out[out.length - 1];
          if (prev && prev[1] + 1 >= lo) prev[1] = Math.max(prev[1], hi);
          else out.push([lo, hi]);
        }
      }
      return out;
    },
  };
}

/** The coarse grid of `cell`. Must match migration 0002's triggers: CAST((lat + 90) * 20 AS INTEGER) … */
export const COARSE = makeGrid('cell', 20);
/** The fine grid of `cell_fine`. Must match migration 0007's triggers: CAST((lat + 90) * 100 AS INTEGER) … */
export const FINE = makeGrid('cell_fine', 100);
/** The wide grid of `cell_wide` (0.25°, about 28 km): few ranges for a wide ring. Must match migration 0008. */
export const WIDE = makeGrid('cell_wide', 4);

export const cellOf = COARSE.cellOf;

/** Kilometres → statute miles. */
export const KM_PER_MILE = 1.609344;
