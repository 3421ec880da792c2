/**
 * Worker tests run inside workerd (the Workers runtime) with the real D1 engine, through
 * @cloudflare/vitest-pool-workers. Each test file gets its own empty database; test/setup.ts applies
 * the migrations from worker/migrations and the demo seed.
 */
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-pool-workers';
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { populatedPlaces } from '../scripts/gen-synthetic.ts';
import { gazetteerStatements, gazetteerSubset } from '../scripts/gazetteer.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** A local RSA key standing in for the Cloudflare Access team's (test/access.test.ts signs JWTs with it). */
const access = generateKeyPairSync('rsa', { modulusLength: 2048 });
const accessKid = 'test-access-key';
const accessPublic = { ...access.publicKey.export({ format: 'jwk' }), kid: accessKid, alg: 'RS256', use: 'sig' };
const accessPrivate = { ...access.privateKey.export({ format: 'jwk' }), kid: accessKid, alg: 'RS256' };

/** ZIP codes and city names the lookup tests use (Alaska, Hawaii, Puerto Rico, ambiguous names…). */
const TEST_ZIPS = ['60201', '99501', '99701', '96813', '96720', '00901', '00680', '62701', '97201', '04101', '10001', '63101', '59001'];
const TEST_CITIES = ['Springfield', 'Portland', 'Anchorage', 'Fairbanks', 'Honolulu', 'Hilo', 'San Juan', 'Mayagüez', 'St. Louis', 'Evanston', 'New York', 'Washington', 'Kansas City'];

export default defineConfig(async () => ({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: here('../wrangler.toml') },
      miniflare: {
        bindings: {
          TEST_MIGRATIONS: await readD1Migrations(here('./migrations')),
          EMAIL_HASH_KEY: 'test-only-email-hash-key',
          // A small gazetteer taken from the real data packages (scripts/gazetteer.ts), for lookup tests.
          TEST_GAZETTEER: gazetteerStatements(gazetteerSubset(TEST_ZIPS, TEST_CITIES)),
          // Populated places (the 3,000 largest) for synthetic efforts in property tests.
          TEST_PLACES: populatedPlaces()
            .sort((a, b) => b.population - a.population)
            .slice(0, 3000),
          ADMIN_TOKEN: 'test-only-admin-token-0123456789',
          // Cloudflare Access as production has it, with the team's keys replaced by the local one.
          ACCESS_TEAM_DOMAIN: 'sanctuary-test',
          ACCESS_AUD: 'test-access-aud-0123456789abcdef',
          ACCESS_JWKS: JSON.stringify({ keys: [accessPublic] }),
          TEST_ACCESS_PRIVATE_JWK: JSON.stringify(accessPrivate),
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
