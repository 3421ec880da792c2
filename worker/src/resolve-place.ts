/** What a typed place means: shared by the lookup and by starting a campaign ("60076", "Skokie, IL", "Springfield"). */
import { citiesByPrefix, findCities, findZip, nearestCity } from './db/places.ts';
import { editDistance, parsePlaceQuery, placeKey } from './place-names.ts';
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


/** How many near spellings a lookup that found nothing suggests ("Did you mean Skokie, IL?"). */
export const MAX_SUGGESTIONS = 3;

/**
 * Places whose name is spelt nearly like a name that found nothing ("Skokei", "Sprngfield"): same
 * first letter, at most one edit for names up to 5 letters, two for longer ones (a transposition
 * counts one), closest spelling first, then most populous. A ZIP code gets no suggestions.
 */
export async function suggestPlaces(db: D1Database, q: string): Promise<PlaceOut[]> {
  const parsed = parsePlaceQuery(q);
  if (!parsed || parsed.kind !== 'city') return [];
  const key = placeKey(parsed.city);
  if (key.length < 3) return [];
  const max = key.length <= 5 ? 1 : 2;
  const rows = await citiesByPrefix(db, key.slice(0, 1), key.length - max, key.length + max, parsed.state);
  return rows
    .map((c) => ({ c, d: editDistance(key, c.name_key, max) }))
    .filter((x) => x.d <= max)
    .sort((a, b) => a.d - b.d || (b.c.population ?? 0) - (a.c.population ?? 0) || b.c.zip_count - a.c.zip_count)
    .slice(0, MAX_SUGGESTIONS)
    .map(({ c }) => ({ label: `${c.name}, ${c.state}`, lat: c.lat, lon: c.lon, source: 'city' as const, city: c.name, state: c.state, population: c.population }));
}

/**
 * A point ("use my location") as a place: named after the nearest town of the gazetteer, so the
 * finder says "near Laredo, TX" and can offer to start a campaign there; the coordinates otherwise.
 */
export async function placeAt(db: D1Database, lat: number, lon: number): Promise<PlaceOut> {
  const town = await nearestCity(db, lat, lon);
  const at = { lat, lon, source: 'coordinates' as const };
  return town ? { ...at, label: `${town.name}, ${town.state}`, city: town.name, state: town.state } : { ...at, label: `${lat.toFixed(3)}, ${lon.toFixed(3)}` };
}
