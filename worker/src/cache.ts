/**
 * Read-through cache for the public read routes (effort, campaign, lookup), on the Cache API.
 *
 * What is cached is the `data` of a 200 answer, or the error of a 404 (for NOT_FOUND_SECONDS: random
 * slugs and unknown places cost D1 once, not once per request), never a Response with its CORS or
 * security headers (those are set per request by the middleware), never another error (a loader that
 * throws anything else stores nothing), never anything personal (only public shapes go through here:
 * counts, "Denise L.").
 *
 * Two levels: each isolate answers a key it has just read or stored from its own memory for HOT_MS
 * (no call at all), then asks the data centre's Cache API.
 *
 * Freshness: an entry is served as is for FRESH_SECONDS; after that, for STALE_SECONDS more, it is
 * still served at once while a fresh copy is loaded in the background (stale-while-revalidate,
 * done here because `cache.match` ignores that directive); after that it is a miss.
 * A signature purges its campaign's and its effort's entries (`purgeAfterSign`, after its answer,
 * purges of one campaign at least SIGN_PURGE_GAP_MS apart; other isolates' memory lasts HOT_MS), so
 * reads in this data centre show the new count within about a second or two. The Cache API is per data centre: elsewhere a count is at most
 * FRESH_SECONDS + STALE_SECONDS old. (On a `*.workers.dev` host the Cache API does nothing: every
 * read is then a miss, which is still correct.)
 *
 * Every answer says what happened in `X-Cache: HIT | STALE | MISS` (for benchmarks and debugging).
 */
import type { Context } from 'hono';
import type { AppEnv } from './env.ts';
import { ApiError } from './errors.ts';

export const FRESH_SECONDS = 10;
export const STALE_SECONDS = 50;
/** Header of a cache entry: when it was stored (ms since the epoch). */
export const STORED_AT = 'x-sanctuary-stored-at';
/** Seconds a 404 (unknown slug, unknown place) is answered from the cache; then D1 is asked again. */
export const NOT_FOUND_SECONDS = 10;
/** Header of a cache entry that holds a 404's error (code, message, issues) instead of data. */
export const NOT_FOUND = 'x-sanctuary-not-found';

/** Cache keys: URLs on the Worker's own origin, under a prefix no route answers, one per public resource. */
export const cacheKeys = {
  effort: (origin: string, slug: string) => `${origin}/__cache/v1/efforts/${slug}`,
  campaign: (origin: string, slug: string) => `${origin}/__cache/v1/campaigns/${slug}`,
  /** `where` is a normalised description of the place: "q=skokie, il", "at=42.032,-87.742" … */
  lookup: (origin: string, effort: string, where: string, limit: number) =>
    `${origin}/__cache/v1/efforts/${effort}/lookup?${new URLSearchParams({ where, limit: String(limit) })}`,
};

/** The Cache API, or null where there is none or READ_CACHE is "off" (then every read goes to D1). */
const cacheStore = (c: Context<AppEnv>): Cache | null =>
  typeof caches !== 'undefined' && c.env.READ_CACHE !== 'off' ? caches.default : null;

const originOf = (c: Context<AppEnv>) => new URL(c.req.url).origin;

function waitUntil(c: Context<AppEnv>, work: Promise<unknown>): void {
  const guarded = work.catch((e: unknown) => console.error('[sanctuary-petition] cache:', e instanceof Error ? e.message : e));
  try {
    c.executionCtx.waitUntil(guarded);
  } catch {
    // No execution context (Hono's app.request in a script): the work still runs, unawaited.
  }
}

async function store(cache: Cache, key: string, data: unknown, notFound = false): Promise<void> {
  const body = JSON.stringify(data);
  const seconds = notFound ? NOT_FOUND_SECONDS : FRESH_SECONDS + STALE_SECONDS;
  await cache.put(
    key,
    new Response(body, {
      headers: {
        'content-type': 'application/json',
        'cache-control': `public, max-age=${seconds}`,
        [STORED_AT]: String(Date.now()),
        ...(notFound ? { [NOT_FOUND]: '1' } : {}),
      },
    }),
  );
}

/** A 404 of the loader as a cache entry: its code, message and issues (public text, nothing else). */
type NotFoundEntry = { code: ApiError['code']; message: string; issues?: ApiError['issues'] };
const notFoundEntry = (e: ApiError): NotFoundEntry => ({ code: e.code, message: e.message, ...(e.issues ? { issues: e.issues } : {}) });
const isNotFound = (e: unknown): e is ApiError => e instanceof ApiError && e.status === 404;
const rethrow = (e: NotFoundEntry) => new ApiError(404, e.code, e.message, e.issues);

/**
 * Milliseconds an isolate answers a key from its own memory (the parsed entry it last read or stored)
 * before it asks the Cache API again: a hot key then costs no call at all, not even to the cache. A
 * purge in this isolate drops it at once; other isolates see the purge within HOT_MS.
 */
export const HOT_MS = 1000;
const hot = new Map<string, { at: number; storedAt: number; data?: unknown; notFound?: NotFoundEntry }>();
const MAX_HOT = 500;
function remember(key: string, storedAt: number, entry: { data?: unknown; notFound?: NotFoundEntry }): void {
  if (hot.size >= MAX_HOT) hot.clear();
  hot.set(key, { at: Date.now(), storedAt, ...entry });
}

/** Loads fresh data for `key` and stores it, or stores the 404 the loader threw (then rethrows it). */
async function loadAndStore<T>(c: Context<AppEnv>, cache: Cache, key: string, load: () => Promise<T>): Promise<T> {
  try {
    const data = await load();
    remember(key, Date.now(), { data });
    waitUntil(c, store(cache, key, data));
    return data;
  } catch (e) {
    if (isNotFound(e)) {
      remember(key, Date.now(), { notFound: notFoundEntry(e) });
      waitUntil(c, store(cache, key, notFoundEntry(e), true));
    }
    throw e;
  }
}

/**
 * Loads the data behind one cache key, answering from the cache when it can (see the file comment):
 * from this isolate's memory for HOT_MS, else from the Cache API. A 404 thrown by `load` (an unknown
 * slug or place) is cached too, for NOT_FOUND_SECONDS, and thrown again from the cache meanwhile: a
 * flood of the same unknown slug costs D1 one read.
 */
export async function cachedData<T>(c: Context<AppEnv>, key: string, load: () => Promise<T>): Promise<T> {
  const cache = cacheStore(c);
  if (!cache) return load();
  const now = Date.now();
  const mine = hot.get(key);
  if (mine && now - mine.at < HOT_MS) {
    const age = (now - mine.storedAt) / 1000;
    if (mine.notFound ? age <= NOT_FOUND_SECONDS : age <= FRESH_SECONDS) {
      markCache(c, 'HIT');
      if (mine.notFound) throw rethrow(mine.notFound);
      return mine.data as T;
    }
  }
  const hit = await cache.match(key);
  if (hit) {
    const storedAt = Number(hit.headers.get(STORED_AT) ?? 0);
    const age = (Date.now() - storedAt) / 1000;
    if (hit.headers.get(NOT_FOUND)) {
      if (age <= NOT_FOUND_SECONDS) {
        markCache(c, 'HIT');
        const e = (await hit.json()) as NotFoundEntry;
        remember(key, storedAt, { notFound: e });
        throw rethrow(e);
      }
    } else if (age <= FRESH_SECONDS + STALE_SECONDS) {
      const stale = age > FRESH_SECONDS;
      // In the background: a fresh copy, or the 404 if the thing is gone meanwhile (suppressed).
      if (stale) waitUntil(c, loadAndStore(c, cache, key, load).catch((e: unknown) => (isNotFound(e) ? undefined : Promise.reject(e))));
      markCache(c, stale ? 'STALE' : 'HIT');
      const data = (await hit.json()) as T;
      if (!stale) remember(key, storedAt, { data });
      return data;
    }
  }
  markCache(c, 'MISS');
  return loadAndStore(c, cache, key, load);
}

/** What each answer's reads found; one answer may read several entries and tells the weakest. */
const cacheStates = new WeakMap<Context<AppEnv>, CacheState>();
type CacheState = 'HIT' | 'STALE' | 'MISS';
const STRENGTH: Record<CacheState, number> = { MISS: 0, STALE: 1, HIT: 2 };

function markCache(c: Context<AppEnv>, state: CacheState): void {
  const previous = cacheStates.get(c);
  const weakest = previous && STRENGTH[previous] < STRENGTH[state] ? previous : state;
  cacheStates.set(c, weakest);
  c.header('x-cache', weakest);
}

/**
 * Drops the cached campaign page and effort (totals) of this data centre. Call it after anything that
 * changes what they show: a signature, moderation (a status change), an edit.
 */
export async function purgeCached(origin: string, which: { campaign?: string; effort?: string }): Promise<void> {
  if (which.campaign) hot.delete(cacheKeys.campaign(origin, which.campaign));
  if (which.effort) hot.delete(cacheKeys.effort(origin, which.effort));
  if (typeof caches === 'undefined') return;
  const cache = caches.default;
  await Promise.all([
    which.campaign ? cache.delete(cacheKeys.campaign(origin, which.campaign)) : null,
    which.effort ? cache.delete(cacheKeys.effort(origin, which.effort)) : null,
  ]);
}

/**
 * Wraps `purge` so that each call resolves once a run of it that started after the call is done,
 * while concurrent callers share runs: at most one run in flight and one waiting behind it, which
 * every caller arriving meanwhile awaits. Runs start at least `minGapMs` apart (the waiting one sleeps
 * out the rest of the gap). Under a burst of signatures on one campaign an isolate then deletes its
 * entries a few times a second, not once per signature, and each signature is still followed by a
 * delete that began after it was stored.
 */
export function coalesced(purge: () => Promise<void>, minGapMs = 0): () => Promise<void> {
  let running: Promise<void> | undefined;
  let waiting: Promise<void> | undefined;
  let lastStart = -Infinity;
  const start = (): Promise<void> => {
    lastStart = Date.now();
    const run = purge().finally(() => {
      if (running === run) running = undefined;
    });
    running = run;
    return run;
  };
  const rest = () => lastStart + minGapMs - Date.now();
  return () => {
    if (!running && !waiting && rest() <= 0) return start();
    waiting ??= (async () => {
      await running?.catch(() => undefined);
      if (rest() > 0) await new Promise((resolve) => setTimeout(resolve, rest()));
      waiting = undefined;
      return start();
    })();
    return waiting;
  };
}

/**
 * Signature purges of one campaign start at least this far apart in an isolate: a cached count (page,
 * totals) is then at most about this much behind the signatures (the signer sees theirs in the answer).
 * Measured: continuous back-to-back deletes under load cost 0.70× → 0.73–0.76× of the bare Worker's
 * signatures/s with no purge at all.
 */
export const SIGN_PURGE_GAP_MS = 1000;

/** Per isolate: one coalesced purge per (origin, campaign, effort). */
const signPurges = new Map<string, () => Promise<void>>();

/**
 * After a signature: the campaign page and the effort totals are read fresh again. Run right after
 * the answer (waitUntil: two local deletes, shared with concurrent signers and at least
 * SIGN_PURGE_GAP_MS apart, see `coalesced`), not before it: awaiting them held each signer's
 * connection a few ms longer, which under load left D1 idle between batches (measured: 0.68× the bare
 * Worker awaited). The signer's widget shows the new count from the answer itself; any read that
 * starts once the deletes are done (at most about a second later) is fresh.
 */
export const purgeAfterSign = (c: Context<AppEnv>, campaignSlug: string, effortSlug: string): void => {
  if (!cacheStore(c)) return;
  const origin = originOf(c);
  const id = `${origin} ${campaignSlug} ${effortSlug}`;
  let purge = signPurges.get(id);
  if (!purge) {
    if (signPurges.size > 1000) signPurges.clear();
    purge = coalesced(() => purgeCached(origin, { campaign: campaignSlug, effort: effortSlug }), SIGN_PURGE_GAP_MS);
    signPurges.set(id, purge);
  }
  waitUntil(c, purge());
};

/** The key helpers bound to this request's origin (the Worker's own host). */
export const keysFor = (c: Context<AppEnv>) => {
  const origin = originOf(c);
  return {
    effort: (slug: string) => cacheKeys.effort(origin, slug),
    campaign: (slug: string) => cacheKeys.campaign(origin, slug),
    lookup: (effort: string, where: string, limit: number) => cacheKeys.lookup(origin, effort, where, limit),
  };
};
