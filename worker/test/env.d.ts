import type { D1Migration } from 'cloudflare:test';
import type { Env as WorkerEnv } from '../src/env.ts';

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      TEST_MIGRATIONS: D1Migration[];
      /** The private half of ACCESS_JWKS (vitest.config.ts): signs Access JWTs in test/access.test.ts. */
      TEST_ACCESS_PRIVATE_JWK: string;
      MIGRATIONS_EMPTY_DB: D1Database;
      MIGRATIONS_PREVIOUS_DB: D1Database;
      TEST_LIMITER_5: RateLimit;
      /** Statements loading a small gazetteer subset (worker/vitest.config.ts). */
      TEST_GAZETTEER: string[];
      /** Populated places for synthetic efforts. */
      TEST_PLACES: Array<{ name: string; state: string; lat: number; lon: number; population: number }>;
    }
  }
}
