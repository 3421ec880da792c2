/** SQL of the retention job: reduce old personal data, drop expired idempotency keys. Knows nothing of HTTP. */

/**
 * Anonymises up to `limit` signatures made before `before` (an ISO timestamp), oldest first:
 * the email is emptied, the last name cut to its initial, the phone removed and the ZIP cut to its
 * first 3 digits. The email's keyed hash stays, so the same person signing again is still not
 * counted twice; first name, initial, consents, partner and date stay for the counts and the public
 * "First L.". Returns how many rows changed (fewer than `limit`: nothing is left to do).
 */
export const anonymiseSignaturesBefore = async (db: D1Database, before: string, limit: number) =>
  (
    await db
      .prepare(
        `UPDATE signatures
            SET email = '', last_name = substr(last_name, 1, 1), phone = NULL, zip = substr(zip, 1, 3),
                anonymised_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
          WHERE id IN (SELECT id FROM signatures
                        WHERE anonymised_at IS NULL AND created_at < ?1
                        ORDER BY created_at LIMIT ?2)`,
      )
      .bind(before, limit)
      .run()
  ).meta.changes;

/** Removes the private email of the creators of campaigns made before `before` (their public name stays). */
export const forgetCreatorEmailsBefore = async (db: D1Database, before: string) =>
  (
    await db
      .prepare('UPDATE campaigns SET creator_email = NULL WHERE creator_email IS NOT NULL AND created_at < ?1')
      .bind(before)
      .run()
  ).meta.changes;

/** Deletes up to `limit` idempotency keys stored before `before`. */
export const deleteIdempotencyKeysBefore = async (db: D1Database, before: string, limit: number) =>
  (
    await db
      .prepare(
        `DELETE FROM idempotency_keys
          WHERE key IN (SELECT key FROM idempotency_keys WHERE created_at < ?1 ORDER BY created_at LIMIT ?2)`,
      )
      .bind(before, limit)
      .run()
  ).meta.changes;
