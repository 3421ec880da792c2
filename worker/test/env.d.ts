import type { D1Migration } from 'cloudflare:test';
import type { Env as WorkerEnv } from '../src/env.ts';

declare global {
  namespace Cloudflare {
    interface Env extends WorkerEnv {
      TEST_MIGRATIONS: D1Migration[];
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
