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
