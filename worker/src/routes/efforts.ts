import { Hono, type Context } from 'hono';
import { nearestCampaignsWithStats } from '../db/campaigns.ts';
import { getEffort, type EffortRow } from '../db/efforts.ts';
import { nearestAwaitingTargets } from '../db/targets.ts';
import { cachedData, keysFor } from '../cache.ts';
import type { AppEnv } from '../env.ts';
import { ApiError, notFound } from '../errors.ts';
import { KM_PER_MILE, roundKm } from '../geo.ts';
import { effortReadFacts, embeddingRules } from '../middleware/origin.ts';
import { PartnerQuery, partnerCredit } from '../partner-credit.ts';
import { validate } from '../middleware/validate.ts';
import { placeAt, resolvePlace, suggestPlaces } from '../resolve-place.ts';
import { presentCampaignSummary, presentEffort } from '../present.ts';
import { LookupQuery, SlugParams, type AwaitingTargetOut, type CampaignSummaryOut, type LookupOut, type PlaceOut } from '../schemas.ts';

export const efforts = new Hono<AppEnv>();

/** The effort, from the cache when it is there (a signature purges it: see cache.ts). */
function effortOr404(c: Context<AppEnv>, slug: string): Promise<EffortRow> {
  return cachedData(c, keysFor(c).effort(slug), async () => {
    const effort = await getEffort(c.env.DB, slug);
    if (!effort) throw notFound('That effort');
    return effort;
  });
}

efforts.get('/:slug', validate('param', SlugParams), validate('query', PartnerQuery), async (c) => {
  const effort = await effortOr404(c, c.req.valid('param').slug);
  await embeddingRules(c, effort.id);
  // Outside the cache: whether this page may credit the partner depends on the page.
  const { partner } = c.req.valid('query');
  return c.json({ data: { ...presentEffort(effort), ...(partner ? { partner: await partnerCredit(c, effort.id, partner) } : {}) } });
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

/**
 * A lookup's answer as cached: without the effort (attached fresh to every answer, cached or not) and
 * without the unit (every distance in km; miles are worked out per request), so one entry serves
 * every Accept-Language and `units`.
 */
interface LookupBody {
  place: PlaceOut;
  distanceLimitKm: number;
  /** Whether nearby[0] is within the distance limit. */
  found: boolean;
  nearby: CampaignSummaryOut[];
  alternatives: PlaceOut[];
  awaiting: Omit<AwaitingTargetOut, 'distance'>[];
  /** The unrounded km of nearby[i] and awaiting[i], for `distance` in the visitor's unit. */
  nearbyKm: number[];
  awaitingKm: number[];
}

/**
 * The `limit` a lookup is computed (and cached) for: the asked one rounded up to one of these, the
 * answer then cut to the asked length. The k closest are the first k of the K closest (ties by id),
 * so the cut is exact, and 50 possible limits make 4 keys per place.
 */
export const LIMIT_STEPS = [5, 10, 25, 50] as const;
export const limitStep = (limit: number) => LIMIT_STEPS.find((s) => s >= limit) ?? LIMIT_STEPS[LIMIT_STEPS.length - 1]!;

/** A lookup's cached body in the visitor's unit, cut to the asked limit. */
function presentLookup(body: LookupBody, unit: 'mi' | 'km', limit: number, effort: EffortRow): LookupOut {
  const inUnit = (km: number) => roundKm(unit === 'mi' ? km / KM_PER_MILE : km);
  const nearby = body.nearby.slice(0, limit).map((n, i) => ({ ...n, distance: inUnit(body.nearbyKm[i]!) }));
  return {
    place: body.place,
    distanceLimitKm: body.distanceLimitKm,
    nearest: body.found ? nearby[0]! : null,
    nearby,
    code: body.found ? 'found' : 'none_nearby',
    unit,
    distanceLimit: inUnit(body.distanceLimitKm),
    alternatives: body.alternatives,
    awaiting: body.awaiting.map((t, i) => ({ ...t, distance: inUnit(body.awaitingKm[i]!) })),
    effort: presentEffort(effort),
  };
}

/**
 * The place a lookup is about, and the part of its cache key that says so. Points are snapped to 3
 * decimals (about 100 m: the widget sends no more) before anything is computed, so every point of one
 * 0.001° cell gets the very same answer, and the key is the cell; the request's own location
 * (city-level to begin with) to 2 decimals with its city and region.
 */
function lookupPlace(c: Context<AppEnv>, query: { q?: string; lat?: number; lon?: number }): { where: string; resolve: () => Promise<{ place: PlaceOut; alternatives: PlaceOut[] }> } {
  if (query.q !== undefined) {
    const q = query.q;
    return {
      where: `q=${q.trim().replace(/\s+/g, ' ').toLowerCase()}`,
      resolve: async () => {
        const found = await resolvePlace(c.env.DB, q);
        if (!found.length) {
          // Near spellings, each an issue with the label to look up instead ("Did you mean Skokie, IL?").
          const near = await suggestPlaces(c.env.DB, q);
          throw new ApiError(
            404,
            'place_not_found',
            'We could not find that place. Try a 5-digit ZIP code or "City, ST".',
            near.length ? near.map((p) => ({ path: 'q', message: `Did you mean ${p.label}?`, suggestion: p.label })) : [{ path: 'q', message: 'Unknown place.' }],
          );
        }
        const [place, ...alternatives] = found as [PlaceOut, ...PlaceOut[]];
        return { place, alternatives };
      },
    };
  }
  if (query.lat !== undefined && query.lon !== undefined) {
    // + 0 turns -0 into 0: "-0.000" and "0.000" are one cell.
    const lat = Number(query.lat.toFixed(3)) + 0;
    const lon = Number(query.lon.toFixed(3)) + 0;
    return {
      where: `at=${lat.toFixed(3)},${lon.toFixed(3)}`,
      resolve: async () => ({ place: await placeAt(c.env.DB, lat, lon), alternatives: [] }),
    };
  }
  const place = requestPlace(c.req.raw.cf as IncomingRequestCfProperties | undefined);
  return {
    where: `cf=${place.lat.toFixed(2)},${place.lon.toFixed(2)},${place.label}`,
    resolve: async () => ({ place, alternatives: [] }),
  };
}

/**
 * GET /v1/efforts/:effort/lookup. Answers come through the read cache (cache.ts) under a key made of
 * the place (see lookupPlace), the limit's step (LIMIT_STEPS), the distance limit and the effort's
 * lookup generation, which triggers bump whenever what a lookup lists changes (a campaign approved,
 * suppressed, edited or added; an official added or changed). The generation comes with the effort's
 * read facts (middleware/origin.ts), which an isolate reads from D1 at most once per READ_FACTS_MS:
 * a cached lookup costs D1 nothing, and such a change is seen within about a second. Signature counts
 * inside a cached list may lag by up to a minute; the effort's totals in every answer are fresh (the
 * effort entry is purged on each signature).
 */
efforts.get('/:slug/lookup', validate('param', SlugParams), validate('query', LookupQuery), async (c) => {
  const effort = await effortOr404(c, c.req.valid('param').slug);
  await embeddingRules(c, effort.id);
  const query = c.req.valid('query');
  const unit = unitFor(query.units, c.req.header('accept-language'));
  const limitKm = effort.distance_limit_km;
  const k = limitStep(query.limit);
  const { where, resolve } = lookupPlace(c, query);
  const gen = (await effortReadFacts(c, effort.id)).lookupGen;
  const key = keysFor(c).lookup(effort.slug, `${where}|km=${limitKm}|g=${gen}`, k);
  const body = await cachedData<LookupBody>(c, key, async () => {
    const { place, alternatives } = await resolve();
    const started = Date.now();
    const [campaigns, targets] = await Promise.all([
      nearestCampaignsWithStats(c.env.DB, effort.id, place.lat, place.lon, k, Infinity, effort.campaign_count),
      nearestAwaitingTargets(c.env.DB, effort.id, place.lat, place.lon, MAX_AWAITING, limitKm),
    ]);
    const first = campaigns.rows[0];
    // What the lookup cost in D1, for benchmarks and the browser's network panel (no personal data).
    // Only a lookup that read D1 says so: a cached answer has no d1 entry.
    const rows = campaigns.stats.rowsRead + targets.stats.rowsRead;
    const queries = campaigns.stats.queries + targets.stats.queries;
    const part = (name: string, st: { rowsRead: number; queries: number }) => `${name};desc="rows_read=${st.rowsRead} queries=${st.queries}"`;
    c.header(
      'server-timing',
      [`d1;dur=${Date.now() - started};desc="rows_read=${rows} queries=${queries}"`, part('campaigns', campaigns.stats), part('awaiting', targets.stats)].join(', '),
    );
    return {
      place,
      distanceLimitKm: limitKm,
      found: first !== undefined && first.distance_km <= limitKm,
      nearby: campaigns.rows.map((r) => presentCampaignSummary(r, r.distance_km)),
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
      })),
      nearbyKm: campaigns.rows.map((r) => r.distance_km),
      awaitingKm: targets.rows.map((t) => t.distance_km),
    };
  });
  c.header('vary', 'accept-language', { append: true });
  const out = presentLookup(body, unit, query.limit, effort);
  return c.json({ data: query.partner ? { ...out, partner: await partnerCredit(c, effort.id, query.partner) } : out });
});
