import type { Context } from 'hono';
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
 * Applies an effort's embedding rule (any site, unless the organizers listed sites; the Worker's own
 * origin always) and tells whether `partner` may be credited (the request comes from one of the
 * partner's sites).
 */
export async function embeddingRules(
  c: Context<AppEnv>,
  effortId: number,
  partner: string | null = null,
): Promise<{ partnerAllowed: boolean }> {
  const origin = requestOrigin(c);
  const { effortAllowed, partnerAllowed } = await checkOrigin(c.env.DB, effortId, origin, partner);
  // The Worker's own pages (the hosted start page, the demo) may always use it.
  const own = origin === new URL(c.req.url).origin.toLowerCase();
  if (origin !== null && !own && !effortAllowed) throw forbiddenOrigin();
  return { partnerAllowed: origin !== null && partnerAllowed };
}
