import type { Context } from 'hono';
import { getEffortReadFacts, type EffortReadFacts } from '../db/efforts.ts';
import { checkOrigin, normaliseOrigin } from '../db/origins.ts';
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
 * How long an isolate keeps an effort's read facts (its site allow-list and lookup generation) before
 * it asks D1 again. A read served from the cache then costs D1 nothing; a change of either (an organizer
 * listing sites, a campaign approved or suppressed) reaches reads within about this long. Writes never
 * use it: signing checks the allow-list inside its own batch, starting a campaign asks D1 each time.
 */
export const READ_FACTS_MS = 1000;

/** Per isolate: effort id → its facts and when they were read (a read in flight is shared). */
const readFacts = new Map<number, { at: number; facts: Promise<EffortReadFacts> }>();
const MAX_READ_FACTS = 1000;

/**
 * Drops this isolate's read facts: after an organizer's change (index.ts, after every write of the
 * organizer API), which this isolate's reads then see at once; other isolates within READ_FACTS_MS.
 */
export const forgetReadFacts = () => readFacts.clear();

/** The effort's read facts, from this isolate's memory when they are less than READ_FACTS_MS old. */
export function effortReadFacts(c: Context<AppEnv>, effortId: number): Promise<EffortReadFacts> {
  const now = Date.now();
  const known = readFacts.get(effortId);
  if (known && now - known.at < READ_FACTS_MS) return known.facts;
  const facts = getEffortReadFacts(c.env.DB, effortId);
  if (readFacts.size >= MAX_READ_FACTS) readFacts.clear();
  readFacts.set(effortId, { at: now, facts });
  // A failed read is not remembered: the next request asks again.
  facts.catch(() => {
    if (readFacts.get(effortId)?.facts === facts) readFacts.delete(effortId);
  });
  return facts;
}

/**
 * Applies an effort's embedding rule (any site, unless the organizers listed sites; the Worker's own
 * origin always) and tells whether `partner` may be credited (the request comes from one of the
 * partner's sites). A GET (a read, which credits nobody) takes the allow-list from the isolate's
 * read facts (at most READ_FACTS_MS old, see above); anything else asks D1.
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
