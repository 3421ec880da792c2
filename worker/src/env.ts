/** Bindings and settings of the Worker (wrangler.toml, secrets in .dev.vars or `wrangler secret put`). */
export interface Env {
  DB: D1Database;
  ASSETS: Fetcher;
  /** Comma-separated origins allowed to call the API from a browser, or "*". */
  ALLOWED_ORIGINS?: string;
  /** Secret key of the email blind index (HMAC-SHA-256). Required in production. */
  EMAIL_HASH_KEY?: string;
  /** Per client IP: POSTs (Workers Rate Limiting binding, wrangler.toml `[[ratelimits]]`). */
  IP_LIMITER?: RateLimit;
  /** Per local campaign: signatures, whoever sends them. */
  CAMPAIGN_LIMITER?: RateLimit;
  /** Per client IP: public GETs (reads). */
  READ_LIMITER?: RateLimit;
  /** "off" disables every limiter (local benchmarks only); unset or anything else: on. */
  RATE_LIMITS?: string;
  /** Cloudflare Turnstile secret key. Set: every signature needs a valid `turnstileToken`. Unset: off. */
  TURNSTILE_SECRET?: string;
  /** A form sent sooner than this many milliseconds after it was shown is a bot's (default 3000). */
  MIN_SUBMIT_MS?: string;
  /** Days a signature keeps its full personal data before the cron job anonymises it; 0 or unset = keep. */
  RETENTION_DAYS?: string;
  /** Cloudflare Access team: "myteam" (myteam.cloudflareaccess.com) or its full domain. With ACCESS_AUD: Access sign-in on. */
  ACCESS_TEAM_DOMAIN?: string;
  /** The Access application's Application Audience (AUD) tag: a JWT for another application is refused. */
  ACCESS_AUD?: string;
  /** Tests and local runs only: a JWKS (JSON) that replaces the team's signing keys. Never set in production. */
  ACCESS_JWKS?: string;
  /** Bearer token of the organizer API (/v1/admin) and page (/admin). Unset: every admin request is 401. */
  ADMIN_TOKEN?: string;
  /**
   * "true" only on a local Worker (`npm start`, the tests, the benchmarks): then a missing EMAIL_HASH_KEY
   * falls back to the development key. Never set it in wrangler.toml: without the key, a deployed Worker
   * refuses writes.
   */
  LOCAL_DEVELOPMENT?: string;
  /** Cloudflare Email Service binding (wrangler.toml `[[send_email]] name = "EMAIL"`): confirmation emails. */
  EMAIL?: SendEmail;
  /** The sender of confirmation emails, an address on a domain set up for Email Service. */
  EMAIL_FROM?: string;
  /** The sender's display name (default "Sanctuary Petition"). */
  EMAIL_FROM_NAME?: string;
  /** "off" turns the read cache off (every read goes to D1): for benchmarks and debugging. */
  READ_CACHE?: string;
  /** The outbox's queue (wrangler.toml `[[queues.producers]]`): event ids for the consumer in this Worker. */
  EVENTS?: Queue<import('./events/outbox.ts').EventMessage>;
  /** Secret that encrypts destination secrets (webhook signing secrets, Action Network keys) in D1. */
  DESTINATIONS_KEY?: string;
  /** First retry delay of a failed delivery, in seconds (doubling each time, at most an hour). Default 10. */
  DELIVERY_RETRY_BASE_SECONDS?: string;
  /** "on": D1 calls are counted and GET /v1/__bench/d1-calls tells the count (bench only; see d1-count.ts). */
  BENCH_COUNT_D1?: string;
}

/** Set by the organizer API's guard (middleware/admin-auth.ts): who is acting, for the audit log. */
export type AppVariables = { actor: string };

export type AppEnv = { Bindings: Env; Variables: AppVariables };
