/**
 * Worker tests run inside workerd (the Workers runtime) with the real D1 engine, through
 * @cloudflare/vitest-pool-workers. Each test file gets its own empty database; test/setup.ts applies
 * the migrations from worker/migrations and the demo seed.
 */
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: here('../wrangler.toml') },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(here('./migrations')),
          EMAIL_HASH_KEY: 'test-only-email-hash-key',
        },
        // Two more empty databases for test/migrations.test.ts (from empty; from the previous release).
        d1Databases: { MIGRATIONS_EMPTY_DB: 'migrations-empty', MIGRATIONS_PREVIOUS_DB: 'migrations-previous' },
        // A real Rate Limiting binding with a small limit, for tests to stand in for a limiter and
        // reach its limit in a few requests (wrangler.toml's own limiters are tested as configured too).
        ratelimits: { TEST_LIMITER_5: { simple: { limit: 5, period: 60 } } },
      },
    }),
  ],
  test: {
    root: here('.'),
    include: ['test/**/*.test.ts'],
    setupFiles: ['./test/setup.ts'],
  },
}));
