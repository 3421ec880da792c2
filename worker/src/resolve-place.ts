/** What a typed place means: shared by the lookup and by starting a campaign ("60076", "Skokie, IL", "Springfield"). */
import { findCities, findZip } from './db/places.ts';
import { parsePlaceQuery, placeKey } from './place-names.ts';
import type { PlaceOut } from './schemas.ts';

/** How many other places a lookup offers for an ambiguous name ("Did you mean…"). */
export const MAX_ALTERNATIVES = 5;

/** Places it may mean, best first: the first is the answer, the rest the "Did you mean…" list. */
export async function resolvePlace(db: D1Database, q: string): Promise<PlaceOut[]> {
  const parsed = parsePlaceQuery(q);
  if (!parsed) return [];
  if (parsed.kind === 'zip') {
    const p = await findZip(db, parsed.zip);
    if (!p) return [];
    return [{ label: `${p.city}, ${p.state} ${p.zip}`, lat: p.lat, lon: p.lon, source: 'zip', zip: p.zip, city: p.city, state: p.state }];
  }
  let cities = await findCities(db, placeKey(parsed.city), parsed.city, parsed.state, MAX_ALTERNATIVES + 1);
  if (!cities.length && parsed.alsoWhole) {
    const whole = q.trim().replace(/\s+/g, ' ');
    cities = await findCities(db, placeKey(whole), whole, null, MAX_ALTERNATIVES + 1);
  }
  return cities.map((c) => ({
    label: `${c.name}, ${c.state}`,
    lat: c.lat,
    lon: c.lon,
    source: 'city' as const,
    city: c.name,
    state: c.state,
    population: c.population,
  }));
}

