/** SQL for Idempotency-Keys (the `idempotency_keys` table). Knows nothing of HTTP. */

export interface StoredResponse {
  request_hash: string;
  status: number;
  /** The JSON answer given first; '' while the first request is still being served. */
  response: string;
}

export const getIdempotentResponse = (db: D1Database, key: string) =>
  db
    .prepare('SELECT request_hash, status, response FROM idempotency_keys WHERE key = ?1')
    .bind(key)
    .first<StoredResponse>();

/** Claims the key for this request (first writer wins). True when this call claimed it. */
export async function claimKey(db: D1Database, key: string, requestHash: string, status: number): Promise<boolean> {
  const r = await db
    .prepare(`INSERT INTO idempotency_keys (key, request_hash, status, response) VALUES (?1, ?2, ?3, '') ON CONFLICT (key) DO NOTHING`)
    .bind(key, requestHash, status)
    .run();
  return r.meta.changes > 0;
}

/** Stores the answer for the key this request claimed. */
export const storeResponse = (db: D1Database, key: string, requestHash: string, response: string) =>
  db
    .prepare(`UPDATE idempotency_keys SET response = ?3 WHERE key = ?1 AND request_hash = ?2 AND response = ''`)
    .bind(key, requestHash, response)
    .run();

/** Gives a claimed key back when the request failed before answering, so a retry can use it. */
export const releaseKey = (db: D1Database, key: string, requestHash: string) =>
  db.prepare(`DELETE FROM idempotency_keys WHERE key = ?1 AND request_hash = ?2 AND response = ''`).bind(key, requestHash).run();
