/** Bindings and settings of the Worker (wrangler.toml, secrets in .dev.vars or `wrangler secret put`). */
export interface Env {
  DB: D1Database;
  ASSETS: Fetcher;
  /** Comma-separated origins allowed to call the API from a browser, or "*". */
  ALLOWED_ORIGINS?: string;
  /** Secret key of the email blind index (HMAC-SHA-256). Required in production. */
  EMAIL_HASH_KEY?: string;
  /** "off" turns the read cache off (every read goes to D1): for benchmarks and debugging. */
  READ_CACHE?: string;
}

export type AppEnv = { Bindings: Env };
