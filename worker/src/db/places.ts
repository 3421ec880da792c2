/** SQL for places (ZIP codes and their towns). Knows nothing of HTTP. */
export interface PlaceRow {
  zip: string;
  city: string;
  state: string;
  lat: number;
  lon: number;
}

export const findZip = (db: D1Database, zip: string) =>
  db.prepare('SELECT zip, city, state, lat, lon FROM places WHERE zip = ?1').bind(zip).first<PlaceRow>();

/** The first ZIP of a city (any state when `state` is null), for "City, ST" lookups. */
export const findCity = (db: D1Database, city: string, state: string | null) =>
  db
    .prepare(
      `SELECT zip, city, state, lat, lon FROM places
        WHERE city = ?1 COLLATE NOCASE AND (?2 IS NULL OR state = ?2)
        ORDER BY zip LIMIT 1`,
    )
    .bind(city, state)
    .first<PlaceRow>();
