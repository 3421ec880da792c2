/**
 * Partner credit as the page sees it, before anyone signs: the GET answers that take `?partner=` say
 * whether that partner may be credited from the page asking (its Origin), under which display name,
 * or what to fix. A page whose code is not registered for its site is recorded for the organizers
 * (partner_attempts, shown on /admin), so a partner's credit never fails unseen. The sign route
 * enforces the same rule on its own (db/signatures.ts): this answer only lets the widget tell the truth.
 */
import type { Context } from 'hono';
import { z } from 'zod';
import { normaliseOrigin } from './db/origins.ts';
import { partnerCreditOf, recordPartnerAttempt } from './db/partners.ts';
import type { AppEnv } from './env.ts';
import { PartnerCode, type PartnerCreditOut } from './schemas.ts';

/** `?partner=` on the GET routes (other query parameters are left to each route). */
export const PartnerQuery = z.object({ partner: PartnerCode.optional() });

/**
 * The page's site: its Origin header, or (a same-origin GET carries none) the origin of its Referer.
 * Null when neither says.
 */
function pageOrigin(c: Context<AppEnv>): string | null {
  const origin = c.req.header('origin');
  if (origin !== undefined) return normaliseOrigin(origin);
  const referer = c.req.header('referer');
  return referer ? normaliseOrigin(referer) : null;
}

/** Attempts already written by this isolate, and when: one write per (effort, code, site) per 10 minutes. */
const recent = new Map<string, number>();
const RECORD_EVERY_MS = 10 * 60 * 1000;

export async function partnerCredit(c: Context<AppEnv>, effortId: number, code: string): Promise<PartnerCreditOut> {
  const origin = pageOrigin(c);
  const row = await partnerCreditOf(c.env.DB, code, origin);
  if (row?.name && row.registered === 1) return { code, registered: true, name: row.name };
  if (origin !== null) {
    const key = `${effortId}|${code}|${origin}`;
    const now = Date.now();
    if ((recent.get(key) ?? 0) < now - RECORD_EVERY_MS) {
      if (recent.size > 10_000) recent.clear();
      recent.set(key, now);
      const write = recordPartnerAttempt(c.env.DB, effortId, code, origin).catch(() => undefined);
      try {
        c.executionCtx.waitUntil(write);
      } catch {
        await write;
      }
    }
  }
  return { code, registered: false, name: null, reason: row?.name ? 'site_not_registered' : 'unknown_partner' };
}
