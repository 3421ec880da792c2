import { Hono, type Context } from 'hono';
import { nearestCampaigns } from '../db/campaigns.ts';
import { getEffort, type EffortRow } from '../db/efforts.ts';
import { findCity, findZip, type PlaceRow } from '../db/places.ts';
import type { AppEnv } from '../env.ts';
import { cachedData, keysFor } from '../cache.ts';
import { ApiError, notFound } from '../errors.ts';
import { validate } from '../middleware/validate.ts';
import { presentCampaignSummary, presentEffort } from '../present.ts';
import { LookupQuery, SlugParams, type LookupOut, type PlaceOut } from '../schemas.ts';
import type { z } from 'zod';

export const efforts = new Hono<AppEnv>();

/** The effort, from the cache when it is there (a signature purges it: see cache.ts). */
function effortOr404(c: Context<AppEnv>, slug: string): Promise<EffortRow> {
  return cachedData(c, keysFor(c).effort(slug), async () => {
    const effort = await getEffort(c.env.DB, slug);
    if (!effort) throw notFound('That effort');
    return effort;
  });
}

efforts.get('/:slug', validate('param', SlugParams), async (c) => {
  const effort = await effortOr404(c, c.req.valid('param').slug);
  return c.json({ data: presentEffort(effort) });
});

const placeLabel = (p: PlaceRow) => `${p.city}, ${p.state}`;

/** "60076", "60076-1234", "Skokie, IL", "Skokie IL" or "Skokie" → a place, or null. */
async function resolvePlace(db: D1Database, q: string): Promise<PlaceOut | null> {
  const zip = /^(\d{5})(?:-?\d{4})?$/.exec(q);
  if (zip) {
    const p = await findZip(db, zip[1]!);
    return p && { label: `${placeLabel(p)} ${p.zip}`, lat: p.lat, lon: p.lon, source: 'zip' };
  }
  const cityState = /^(.+?)(?:,\s*|\s+)([A-Za-z]{2})$/.exec(q);
  const p =
    (cityState && (await findCity(db, cityState[1]!.trim(), cityState[2]!.toUpperCase()))) ??
    (await findCity(db, q.replace(/,\s*$/, ''), null));
  return p && { label: placeLabel(p), lat: p.lat, lon: p.lon, source: 'city' };
}

/** Where Cloudflare places the request; miniflare gives a fixed placeholder locally. */
function requestPlace(cf: IncomingRequestCfProperties | undefined): PlaceOut {
  const lat = Number(cf?.latitude);
  const lon = Number(cf?.longitude);
  if (Number.isFinite(lat) && Number.isFinite(lon) && cf?.latitude !== undefined) {
    const label = [cf?.city, cf?.regionCode].filter(Boolean).join(', ') || 'Your location';
    return { label, lat, lon, source: 'request' };
  }
  // Unknown location (no cf object): the geographic centre of the contiguous United States.
  return { label: 'United States', lat: 39.8283, lon: -98.5795, source: 'request' };
}

/** The place a lookup is about, and the words that name it in a cache key (only public, coarse data). */
function lookupPlace(c: Context<AppEnv>, query: z.output<typeof LookupQuery>): { where: string; resolve: () => Promise<PlaceOut> } {
  if (query.q !== undefined) {
    const q = query.q;
    return {
      where: `q=${q.toLowerCase().replace(/\s+/g, ' ')}`,
      resolve: async () => {
        const place = await resolvePlace(c.env.DB, q);
        if (!place) {
          throw new ApiError(404, 'place_not_found', `We could not find "${q}". Try a 5-digit ZIP code or "City, ST".`, [
            { path: 'q', message: 'Unknown place.' },
          ]);
        }
        return place;
      },
    };
  }
  if (query.lat !== undefined && query.lon !== undefined) {
    const place: PlaceOut = { label: `${query.lat.toFixed(3)}, ${query.lon.toFixed(3)}`, lat: query.lat, lon: query.lon, source: 'coordinates' };
    return { where: `at=${query.lat},${query.lon}`, resolve: async () => place };
  }
  // The request's own (city-level) location: requests from the same place share one entry.
  const place = requestPlace(c.req.raw.cf as IncomingRequestCfProperties | undefined);
  return { where: `near=${place.lat},${place.lon},${place.label}`, resolve: async () => place };
}

efforts.get('/:slug/lookup', validate('param', SlugParams), validate('query', LookupQuery), async (c) => {
  const slug = c.req.valid('param').slug;
  const query = c.req.valid('query');
  const effort = await effortOr404(c, slug);
  const { where, resolve } = lookupPlace(c, query);
  const found = await cachedData(c, keysFor(c).lookup(slug, where, query.limit), async () => {
    const place = await resolve();
    const rows = await nearestCampaigns(c.env.DB, effort.id, place.lat, place.lon, query.limit);
    return { place, nearby: rows.map((r) => presentCampaignSummary(r, r.distance_km)), firstKm: rows[0]?.distance_km ?? null };
  });
  const body: LookupOut = {
    place: found.place,
    distanceLimitKm: effort.distance_limit_km,
    nearest: found.firstKm !== null && found.firstKm <= effort.distance_limit_km ? found.nearby[0]! : null,
    nearby: found.nearby,
    effort: presentEffort(effort),
  };
  return c.json({ data: body });
});
