import { Hono } from 'hono';
import { nearestCampaigns } from '../db/campaigns.ts';
import { getEffort, type EffortRow } from '../db/efforts.ts';
import { findCity, findZip, type PlaceRow } from '../db/places.ts';
import type { AppEnv } from '../env.ts';
import { ApiError, notFound } from '../errors.ts';
import { embeddingRules } from '../middleware/origin.ts';
import { validate } from '../middleware/validate.ts';
import { presentCampaignSummary, presentEffort } from '../present.ts';
import { LookupQuery, SlugParams, type LookupOut, type PlaceOut } from '../schemas.ts';

export const efforts = new Hono<AppEnv>();

async function effortOr404(db: D1Database, slug: string): Promise<EffortRow> {
  const effort = await getEffort(db, slug);
  if (!effort) throw notFound('That effort');
  return effort;
}

efforts.get('/:slug', validate('param', SlugParams), async (c) => {
  const effort = await effortOr404(c.env.DB, c.req.valid('param').slug);
  await embeddingRules(c, effort.id);
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

efforts.get('/:slug/lookup', validate('param', SlugParams), validate('query', LookupQuery), async (c) => {
  const effort = await effortOr404(c.env.DB, c.req.valid('param').slug);
  await embeddingRules(c, effort.id);
  const query = c.req.valid('query');
  let place: PlaceOut | null;
  if (query.q !== undefined) {
    place = await resolvePlace(c.env.DB, query.q);
    if (!place) {
      throw new ApiError(404, 'place_not_found', 'We could not find that place. Try a 5-digit ZIP code or "City, ST".', [
        { path: 'q', message: 'Unknown place.' },
      ]);
    }
  } else if (query.lat !== undefined && query.lon !== undefined) {
    place = { label: `${query.lat.toFixed(3)}, ${query.lon.toFixed(3)}`, lat: query.lat, lon: query.lon, source: 'coordinates' };
  } else {
    place = requestPlace(c.req.raw.cf as IncomingRequestCfProperties | undefined);
  }
  const rows = await nearestCampaigns(c.env.DB, effort.id, place.lat, place.lon, query.limit);
  const nearby = rows.map((r) => presentCampaignSummary(r, r.distance_km));
  const first = rows[0];
  const body: LookupOut = {
    place,
    distanceLimitKm: effort.distance_limit_km,
    nearest: first && first.distance_km <= effort.distance_limit_km ? nearby[0]! : null,
    nearby,
  };
  return c.json({ data: body });
});
