/** SQL for who may embed an effort and which partner a signature is credited to. Knows nothing of HTTP. */

/**
 * An origin as browsers send it in the Origin header: "https://example.org" or
 * "http://localhost:8787", lower-case, no path and no trailing slash. Null if `value` is not an
 * http(s) origin.
 */
export function normaliseOrigin(value: string): string | null {
  try {
    const url = new URL(value.trim());
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    return url.origin.toLowerCase();
  } catch {
    return null;
  }
}

export interface OriginCheckRow {
  /** 1 if the effort has no origin list or lists `origin`. */
  effort_allowed: number;
  /** 1 if `partner` is a known partner and `origin` is one of its sites. */
  partner_allowed: number;
}

/**
 * One read that answers both questions of a request from `origin` (null: no Origin header):
 * may it use this effort, and is it the site of `partner`?
 */
export const checkOrigin = async (
  db: D1Database,
  effortId: number,
  origin: string | null,
  partner: string | null = null,
): Promise<{ effortAllowed: boolean; partnerAllowed: boolean }> => {
  const row = await db
    .prepare(
      `SELECT (NOT EXISTS (SELECT 1 FROM effort_origins WHERE effort_id = ?1)
               OR EXISTS (SELECT 1 FROM effort_origins WHERE effort_id = ?1 AND origin = ?2)) AS effort_allowed,
              EXISTS (SELECT 1 FROM partner_origins WHERE partner_code = ?3 AND origin = ?2) AS partner_allowed`,
    )
    .bind(effortId, origin, partner)
    .first<OriginCheckRow>();
  return { effortAllowed: row?.effort_allowed === 1, partnerAllowed: row?.partner_allowed === 1 };
};

const normaliseAll = (origins: string[]) => {
  const out = origins.map((o) => [o, normaliseOrigin(o)] as const);
  const bad = out.find(([, n]) => n === null);
  if (bad) throw new TypeError(`Not an http(s) origin: ${bad[0]}`);
  return [...new Set(out.map(([, n]) => n!))];
};

/** The origins allowed to embed an effort; an empty list means any origin. */
export const listEffortOrigins = async (db: D1Database, effortId: number) =>
  (
    await db
      .prepare('SELECT origin FROM effort_origins WHERE effort_id = ?1 ORDER BY origin')
      .bind(effortId)
      .all<{ origin: string }>()
  ).results.map((r) => r.origin);

/** Replaces the origins allowed to embed an effort (an empty list opens it to any origin again). */
export async function setEffortOrigins(db: D1Database, effortId: number, origins: string[]): Promise<string[]> {
  const list = normaliseAll(origins);
  await db.batch([
    db.prepare('DELETE FROM effort_origins WHERE effort_id = ?1').bind(effortId),
    ...list.map((o) => db.prepare('INSERT INTO effort_origins (effort_id, origin) VALUES (?1, ?2)').bind(effortId, o)),
  ]);
  return list;
}

export interface PartnerRow {
  code: string;
  name: string;
  origins: string[];
}

/** Creates or updates a partner and replaces its list of sites. */
export async function upsertPartner(db: D1Database, p: { code: string; name: string; origins: string[] }): Promise<PartnerRow> {
  const list = normaliseAll(p.origins);
  await db.batch([
    db
      .prepare('INSERT INTO partners (code, name) VALUES (?1, ?2) ON CONFLICT (code) DO UPDATE SET name = excluded.name')
      .bind(p.code, p.name),
    db.prepare('DELETE FROM partner_origins WHERE partner_code = ?1').bind(p.code),
    ...list.map((o) => db.prepare('INSERT INTO partner_origins (partner_code, origin) VALUES (?1, ?2)').bind(p.code, o)),
  ]);
  return { code: p.code, name: p.name, origins: list };
}

export async function getPartner(db: D1Database, code: string): Promise<PartnerRow | null> {
  const [partner, origins] = await db.batch<{ code: string; name: string } | { origin: string }>([
    db.prepare('SELECT code, name FROM partners WHERE code = ?1').bind(code),
    db.prepare('SELECT origin FROM partner_origins WHERE partner_code = ?1 ORDER BY origin').bind(code),
  ]);
  const row = partner!.results[0] as { code: string; name: string } | undefined;
  if (!row) return null;
  return { ...row, origins: (origins!.results as { origin: string }[]).map((r) => r.origin) };
}
