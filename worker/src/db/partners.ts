/** SQL for partner credit as a page sees it, and the codes pages used unregistered. Knows nothing of HTTP. */

export interface PartnerCreditRow {
  /** The partner's display name; null when no partner has the code. */
  name: string | null;
  /** 1 when `origin` is one of the partner's sites. */
  registered: number;
}

/** One read: the partner's name, and whether `origin` is one of its sites. */
export const partnerCreditOf = (db: D1Database, code: string, origin: string | null) =>
  db
    .prepare(
      `SELECT p.name AS name,
              EXISTS (SELECT 1 FROM partner_origins WHERE partner_code = ?1 AND origin = ?2) AS registered
         FROM (SELECT 1) LEFT JOIN partners p ON p.code = ?1`,
    )
    .bind(code, origin)
    .first<PartnerCreditRow>();

/** At most this many distinct (code, site) attempts are kept per effort: a flood of made-up codes stops there. */
export const MAX_ATTEMPTS_PER_EFFORT = 1000;

/** Records that a page on `origin` asked to credit `code`, which is not registered for it. */
export const recordPartnerAttempt = (db: D1Database, effortId: number, code: string, origin: string) =>
  db
    .prepare(
      `INSERT INTO partner_attempts (effort_id, code, origin)
       SELECT ?1, ?2, ?3
        WHERE EXISTS (SELECT 1 FROM partner_attempts WHERE effort_id = ?1 AND code = ?2 AND origin = ?3)
           OR (SELECT count(*) FROM partner_attempts WHERE effort_id = ?1) < ?4
       ON CONFLICT (effort_id, code, origin) DO UPDATE
          SET attempts = attempts + 1, last_seen = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
    )
    .bind(effortId, code, origin, MAX_ATTEMPTS_PER_EFFORT)
    .run();

export interface PartnerAttemptRow {
  code: string;
  origin: string;
  attempts: number;
  first_seen: string;
  last_seen: string;
  /** The partner's name if the code exists (then only the site is missing). */
  partner_name: string | null;
}

/** An effort's unregistered partner attempts, the most recent first. */
export const listPartnerAttempts = async (db: D1Database, effortId: number, limit = 200) =>
  (
    await db
      .prepare(
        `SELECT a.code, a.origin, a.attempts, a.first_seen, a.last_seen, p.name AS partner_name
           FROM partner_attempts a LEFT JOIN partners p ON p.code = a.code
          WHERE a.effort_id = ?1
            AND NOT EXISTS (SELECT 1 FROM partner_origins o WHERE o.partner_code = a.code AND o.origin = a.origin)
          ORDER BY a.last_seen DESC LIMIT ?2`,
      )
      .bind(effortId, limit)
      .all<PartnerAttemptRow>()
  ).results;

/** Every partner with its sites, by code. */
export async function listPartners(db: D1Database) {
  const [partners, origins] = await db.batch<{ code: string; name: string } | { partner_code: string; origin: string }>([
    db.prepare('SELECT code, name FROM partners ORDER BY code'),
    db.prepare('SELECT partner_code, origin FROM partner_origins ORDER BY partner_code, origin'),
  ]);
  const sites = new Map<string, string[]>();
  for (const o of origins!.results as { partner_code: string; origin: string }[]) sites.set(o.partner_code, [...(sites.get(o.partner_code) ?? []), o.origin]);
  return (partners!.results as { code: string; name: string }[]).map((p) => ({ ...p, origins: sites.get(p.code) ?? [] }));
}
