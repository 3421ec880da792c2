import type { Context } from 'hono';
import { getEffortReadFacts, type EffortReadFacts } from '../db/efforts.ts';
import { checkOrigin, normaliseOrigin } from '../db/origins.ts';
import { STORED_AT } from '../cache.ts';
import type { AppEnv } from '../env.ts';
import { ApiError } from '../errors.ts';

/**
 * The request's Origin for the embedding rules: null when there is no Origin header (a server-side
 * caller, or a same-origin GET from a page served by the Worker itself); a header that is not an
 * http(s) origin ("null" from a sandboxed frame or a file) matches no listed site.
 */
export function requestOrigin(c: Context<AppEnv>): string | null {
  const header = c.req.header('origin');
  if (header === undefined) return null;
  return normaliseOrigin(header) ?? 'invalid:';
}

export const forbiddenOrigin = () =>
  new ApiError(403, 'forbidden_origin', 'This petition cannot be embedded on this site. Ask its organizers to add the site.');

/**
 * An effort's read facts (its site allow-list and lookup generation) are what a read needs besides the
 * cached answer. They are kept at two levels, so that a read served from the cache costs D1 nothing:
 * each isolate holds them for READ_FACTS_MS; behind that, each data centre holds them in the Cache API
 * for SHARED_FACTS_MS (one entry per effort), and only then is D1 asked (one primary-key read). D1
 * then pays about one read per effort per data centre every SHARED_FACTS_MS however many isolates
 * and viewers there are, and a change of either fact (an organizer listing sites, a campaign approved
 * or suppressed) reaches every read within READ_FACTS_MAX_AGE_MS (at once in the isolate and data
 * centre of an organizer's own change: see forgetReadFacts). Writes never use them: signing checks the
 * allow-list inside its own batch, starting a campaign asks D1 each time.
 */
export const READ_FACTS_MS = 1000;
export const SHARED_FACTS_MS = 2000;
/** The oldest read facts a read may use. */
export const READ_FACTS_MAX_AGE_MS = READ_FACTS_MS + SHARED_FACTS_MS;

/** Per isolate: "origin effortId" → its facts and when they were read (a read in flight is shared). */
const readFacts = new Map<string, { at: number; facts: Promise<EffortReadFacts> }>();
/** Per isolate: every data-centre entry it has used, so an organizer's change can drop them all. */
const sharedKeys = new Set<string>();
const MAX_READ_FACTS = 1000;

const sharedCache = (c: Context<AppEnv>): Cache | null => (typeof caches !== 'undefined' && c.env.READ_CACHE !== 'off' ? caches.default : null);
const sharedKey = (origin: string, effortId: number) => `${origin}/__cache/v1/efforts/${effortId}/read-facts`;

function waitUntil(c: Context<AppEnv>, work: Promise<unknown>): void {
  const guarded = work.catch((e: unknown) => console.error('[sanctuary-petition] read facts:', e instanceof Error ? e.message : e));
  try {
    c.executionCtx.waitUntil(guarded);
  } catch {
    // No execution context (Hono's app.request in a script): the work still runs, unawaited.
  }
}

/** The data centre's copy of the facts when it is less than SHARED_FACTS_MS old, else D1's (then stored). */
async function sharedFacts(c: Context<AppEnv>, origin: string, effortId: number): Promise<EffortReadFacts> {
  const cache = sharedCache(c);
  if (!cache) return getEffortReadFacts(c.env.DB, effortId);
  const key = sharedKey(origin, effortId);
  if (sharedKeys.size >= MAX_READ_FACTS) sharedKeys.clear();
  sharedKeys.add(key);
  const hit = await cache.match(key);
  if (hit && Date.now() - Number(hit.headers.get(STORED_AT) ?? 0) < SHARED_FACTS_MS) return (await hit.json()) as EffortReadFacts;
  const facts = await getEffortReadFacts(c.env.DB, effortId);
  const entry = new Response(JSON.stringify(facts), {
    headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=60', [STORED_AT]: String(Date.now()) },
  });
  waitUntil(c, cache.put(key, entry));
  return facts;
}

/**
 * Drops the read facts this isolate holds and the data-centre entries it has used: after an
 * organizer's change (index.ts, after every write of the organizer API), which reads here then see at
 * once; elsewhere within READ_FACTS_MAX_AGE_MS.
 */
export async function forgetReadFacts(): Promise<void> {
  readFacts.clear();
  const keys = [...sharedKeys];
  sharedKeys.clear();
  if (typeof caches !== 'undefined') await Promise.all(keys.map((k) => caches.default.delete(k)));
}

/** The effort's read facts (see READ_FACTS_MS above). */
export function effortReadFacts(c: Context<AppEnv>, effortId: number): Promise<EffortReadFacts> {
  const origin = new URL(c.req.url).origin;
  const id = `${origin} ${effortId}`;
  const now = Date.now();
  const known = readFacts.get(id);
  if (known && now - known.at < READ_FACTS_MS) return known.facts;
  const facts = sharedFacts(c, origin, effortId);
  if (readFacts.size >= MAX_READ_FACTS) readFacts.clear();
  readFacts.set(id, { at: now, facts });
  // A failed read is not remembered: the next request asks again.
  facts.catch(() => {
    if (readFacts.get(id)?.facts === facts) readFacts.delete(id);
  });
  return facts;
}

/**
 * Applies an effort's embedding rule (any site, unless the organizers listed sites; the Worker's own
 * origin always) and tells whether `partner` may be credited (the request comes from one of the
 * partner's sites). A GET (a read, which credits nobody) takes the allow-list from the read facts
 * (at most READ_FACTS_MAX_AGE_MS old, see above); anything else asks D1.
 */
export async function embeddingRules(
  c: Context<AppEnv>,
  effortId: number,
  partner: string | null = null,
): Promise<{ partnerAllowed: boolean }> {
  const origin = requestOrigin(c);
  // The Worker's own pages (the hosted start page, the demo) may always use it.
  const own = origin === new URL(c.req.url).origin.toLowerCase();
  if (c.req.method === 'GET' && partner === null) {
    if (origin === null || own) return { partnerAllowed: false };
    const { origins } = await effortReadFacts(c, effortId);
    if (origins.length && !origins.includes(origin)) throw forbiddenOrigin();
    return { partnerAllowed: false };
  }
  const { effortAllowed, partnerAllowed } = await checkOrigin(c.env.DB, effortId, origin, partner);
  if (origin !== null && !own && !effortAllowed) throw forbiddenOrigin();
  return { partnerAllowed: origin !== null && partnerAllowed };
}
