/** Bindings and settings of the Worker (wrangler.toml, secrets in .dev.vars or `wrangler secret put`). */
export interface Env {
  DB: D1Database;
  ASSETS: Fetcher;
  /** Comma-separated origins allowed to call the API from a browser, or "*". */
  ALLOWED_ORIGINS?: string;
  /** Secret key of the email blind index (HMAC-SHA-256). Required in production. */
  EMAIL_HASH_KEY?: string;
  /** Bearer token of the organizer API (/v1/admin) and page (/admin). Unset: every admin request is 401. */
  ADMIN_TOKEN?: string;
}

export type AppEnv = { Bindings: Env };
