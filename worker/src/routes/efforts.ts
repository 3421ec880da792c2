import { Hono, type Context } from 'hono';
import { nearestCampaignsWithStats } from '../db/campaigns.ts';
import { getEffort, type EffortRow } from '../db/efforts.ts';
import { nearestAwaitingTargets } from '../db/targets.ts';
import { cachedData, keysFor } from '../cache.ts';
import type { AppEnv } from '../env.ts';
import { ApiError, notFound } from '../errors.ts';
import { KM_PER_MILE, roundKm } from '../geo.ts';
import { embeddingRules } from '../middleware/origin.ts';
import { validate } from '../middleware/validate.ts';
import { resolvePlace } from '../resolve-place.ts';
import { presentCampaignSummary, presentEffort } from '../present.ts';
import { LookupQuery, SlugParams, type LookupOut, type PlaceOut } from '../schemas.ts';

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
  await embeddingRules(c, effort.id);
  return c.json({ data: presentEffort(effort) });
});

/** Officials awaiting a campaign, listed with a lookup. */
const MAX_AWAITING = 5;

/** Where Cloudflare places the request; miniflare gives a fixed placeholder locally. */
function requestPlace(cf: IncomingRequestCfProperties | undefined): PlaceOut {
  const lat = Number(cf?.latitude);
  const lon = Number(cf?.longitude);
  if (cf?.latitude !== undefined && Number.isFinite(lat) && Number.isFinite(lon)) {
    const label = [cf?.city, cf?.regionCode].filter(Boolean).join(', ') || 'Your location';
    return {
      label,
      lat,
      lon,
      source: 'request',
      ...(cf?.city ? { city: String(cf.city) } : {}),
      ...(cf?.regionCode ? { state: String(cf.regionCode) } : {}),
    };
  }
  // Unknown location (no cf object): the geographic centre of the contiguous United States.
  return { label: 'United States', lat: 39.8283, lon: -98.5795, source: 'request' };
}

/** Miles when asked (?units=mi) or when the visitor's first language is a US one (en-US, es-US). */
function unitFor(units: 'mi' | 'km' | undefined, acceptLanguage: string | undefined): 'mi' | 'km' {
  if (units) return units;
  const first = acceptLanguage?.split(',')[0]?.split(';')[0]?.trim() ?? '';
  return /^[a-z]{2,3}-us$/i.test(first) ? 'mi' : 'km';
}

efforts.get('/:slug/lookup', validate('param', SlugParams), validate('query', LookupQuery), async (c) => {
  const effort = await effortOr404(c, c.req.valid('param').slug);
  await embeddingRules(c, effort.id);
  const query = c.req.valid('query');
  const unit = unitFor(query.units, c.req.header('accept-language'));
  const inUnit = (km: number) => roundKm(unit === 'mi' ? km / KM_PER_MILE : km);
  let place: PlaceOut;
  let alternatives: PlaceOut[] = [];
  if (query.q !== undefined) {
    const found = await resolvePlace(c.env.DB, query.q);
    if (!found.length) {
      throw new ApiError(404, 'place_not_found', 'We could not find that place. Try a 5-digit ZIP code or "City, ST".', [
        { path: 'q', message: 'Unknown place.' },
      ]);
    }
    [place, ...alternatives] = found as [PlaceOut, ...PlaceOut[]];
  } else if (query.lat !== undefined && query.lon !== undefined) {
    place = { label: `${query.lat.toFixed(3)}, ${query.lon.toFixed(3)}`, lat: query.lat, lon: query.lon, source: 'coordinates' };
  } else {
    place = requestPlace(c.req.raw.cf as IncomingRequestCfProperties | undefined);
  }
  const limitKm = effort.distance_limit_km;
  const started = Date.now();
  const [campaigns, targets] = await Promise.all([
    nearestCampaignsWithStats(c.env.DB, effort.id, place.lat, place.lon, query.limit, Infinity, effort.campaign_count),
    nearestAwaitingTargets(c.env.DB, effort.id, place.lat, place.lon, MAX_AWAITING, limitKm),
  ]);
  const nearby = campaigns.rows.map((r) => ({ ...presentCampaignSummary(r, r.distance_km), distance: inUnit(r.distance_km) }));
  const first = campaigns.rows[0];
  const within = first !== undefined && first.distance_km <= limitKm;
  const body: LookupOut = {
    place,
    effort: presentEffort(effort),
    distanceLimitKm: limitKm,
    nearest: within ? nearby[0]! : null,
    nearby,
    code: within ? 'found' : 'none_nearby',
    unit,
    distanceLimit: inUnit(limitKm),
    alternatives,
    awaiting: targets.rows.map((t) => ({
      id: t.id,
      name: t.name,
      title: t.title,
      jurisdiction: t.jurisdiction,
      state: t.state,
      lat: t.lat,
      lon: t.lon,
      distanceKm: roundKm(t.distance_km),
      distance: inUnit(t.distance_km),
    })),
  };
  // What the lookup cost in D1, for benchmarks and the browser's network panel (no personal data).
  const rows = campaigns.stats.rowsRead + targets.stats.rowsRead;
  const queries = campaigns.stats.queries + targets.stats.queries;
  const part = (name: string, st: { rowsRead: number; queries: number }) => `${name};desc="rows_read=${st.rowsRead} queries=${st.queries}"`;
  c.header(
    'server-timing',
    [`d1;dur=${Date.now() - started};desc="rows_read=${rows} queries=${queries}"`, part('campaigns', campaigns.stats), part('awaiting', targets.stats)].join(', '),
  );
  c.header('vary', 'accept-language', { append: true });
  return c.json({ data: body });
});
