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
          ADMIN_TOKEN: 'test-only-admin-token-0123456789',
        },
      },
    }),
  ],
  test: {
    root: here('.'),
    include: ['test/**/*.test.ts'],
    setupFiles: ['./test/setup.ts'],
  },
}));
