/** SQL for the audit log of organizer actions (migration 0011). Knows nothing of HTTP. */

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  subject: string | null;
  detail: string | null;
}

/** Records one organizer action. `detail` is a short summary, never a supporter's personal data. */
export const recordAudit = (db: D1Database, a: { actor: string; action: string; subject: string | null; detail: string | null }) =>
  db
    .prepare('INSERT INTO admin_audit (actor, action, subject, detail) VALUES (?1, ?2, ?3, ?4)')
    .bind(a.actor, a.action, a.subject, a.detail)
    .run();

/** The log, newest first, before id `before` (keyset paging). */
export const listAudit = async (db: D1Database, before: number, limit: number) =>
  (
    await db
      .prepare('SELECT id, at, actor, action, subject, detail FROM admin_audit WHERE id < ?1 ORDER BY id DESC LIMIT ?2')
      .bind(before || Number.MAX_SAFE_INTEGER, limit)
      .all<AuditRow>()
  ).results;
