/** SQL for the gazetteer: ZIP codes (`places`) and cities (`cities`). Knows nothing of HTTP. */
export interface PlaceRow {
  zip: string;
  city: string;
  state: string;
  lat: number;
  lon: number;
}

export interface CityRow {
  name: string;
  state: string;
  lat: number;
  lon: number;
  population: number | null;
  zip_count: number;
}

export const findZip = (db: D1Database, zip: string) =>
  db.prepare('SELECT zip, city, state, lat, lon FROM places WHERE zip = ?1').bind(zip).first<PlaceRow>();

/**
 * Cities whose key (place-names.ts placeKey) is `key`, in `state` or anywhere, most populous first
 * (then by number of ZIP codes, a proxy where the population is unknown).
 * Falls back to the towns of `places` (the demo seed's ZIP codes) when the gazetteer is not loaded.
 */
export async function findCities(db: D1Database, key: string, name: string, state: string | null, limit: number) {
  const { results } = await db
    .prepare(
      `SELECT name, state, lat, lon, population, zip_count FROM cities
        WHERE name_key = ?1 AND (?2 IS NULL OR state = ?2)
        ORDER BY population DESC NULLS LAST, zip_count DESC, state LIMIT ?3`,
    )
    .bind(key, state, limit)
    .all<CityRow>();
  if (results.length) return results;
  return (
    await db
      .prepare(
        `SELECT min(city) AS name, state, avg(lat) AS lat, avg(lon) AS lon, NULL AS population, count(*) AS zip_count
           FROM places WHERE city = ?1 COLLATE NOCASE AND (?2 IS NULL OR state = ?2)
          GROUP BY state ORDER BY zip_count DESC, state LIMIT ?3`,
      )
      .bind(name, state, limit)
      .all<CityRow>()
  ).results;
}

/**
 * The nearest town of the gazetteer to a point, within about `km` (a latitude band of the
 * cities_lat_lon index, then the nearest by an equirectangular distance), or null.
 */
export function nearestCity(db: D1Database, lat: number, lon: number, km = 40) {
  const dLat = km / 111;
  const dLon = km / (111 * Math.max(0.2, Math.cos((lat * Math.PI) / 180)));
  return db
    .prepare(
      `SELECT name, state, lat, lon, population, zip_count FROM cities
        WHERE lat BETWEEN ?1 - ?3 AND ?1 + ?3 AND lon BETWEEN ?2 - ?4 AND ?2 + ?4
        ORDER BY (lat - ?1) * (lat - ?1) + (lon - ?2) * (lon - ?2) * ?5 LIMIT 1`,
    )
    .bind(lat, lon, dLat, dLon, Math.cos((lat * Math.PI) / 180) ** 2)
    .first<CityRow>();
}

/**
 * Cities whose key starts with `prefix` and is `minLength` to `maxLength` characters long, in `state`
 * or anywhere: the candidates for a misspelt name (a range of the (name_key, state) index).
 */
export async function citiesByPrefix(db: D1Database, prefix: string, minLength: number, maxLength: number, state: string | null) {
  const { results } = await db
    .prepare(
      `SELECT name, name_key, state, lat, lon, population, zip_count FROM cities
        WHERE name_key >= ?1 AND name_key < ?1 || '~' AND length(name_key) BETWEEN ?2 AND ?3
          AND (?4 IS NULL OR state = ?4)
        LIMIT 2000`,
    )
    .bind(prefix, minLength, maxLength, state)
    .all<CityRow & { name_key: string }>();
  return results;
}
