import { applyD1Migrations, env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import demoSeed from '../seed/demo.sql?raw';
import { splitSql } from './helpers.ts';

/**
 * How many migrations the previous release shipped (0.1.0: 0001 only). Bump it at each release, so
 * this test always upgrades a database of the release before.
 */
const PREVIOUS_RELEASE_MIGRATIONS = 1;

/** The schema as SQLite sees it: every table, index and trigger with its columns, comparable across databases. */
async function schemaOf(db: D1Database) {
  const { results: objects } = await db
    .prepare(
      `SELECT type, name, tbl_name FROM sqlite_master
        WHERE name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'
        ORDER BY type, name`,
    )
    .all<{ type: string; name: string; tbl_name: string }>();
  const columns: Record<string, unknown[]> = {};
  for (const o of objects.filter((o) => o.type === 'table')) {
    columns[o.name] = (await db.prepare(`SELECT name, type, "notnull", dflt_value, pk FROM pragma_table_info(?1)`).bind(o.name).all()).results;
  }
  return { objects, columns };
}

describe('migrations', () => {
  it('are numbered NNNN_verb_object.sql, in order, each once, and never drop or rebuild a table', () => {
    const names = env.TEST_MIGRATIONS.map((m) => m.name);
    expect(names.length).toBeGreaterThanOrEqual(PREVIOUS_RELEASE_MIGRATIONS);
    for (const name of names) expect(name).toMatch(/^\d{4}_[a-z]+(?:_[a-z0-9]+)+\.sql$/);
    expect([...names].sort()).toEqual(names);
    expect(new Set(names.map((n) => n.slice(0, 4))).size).toBe(names.length);
    for (const m of env.TEST_MIGRATIONS) {
      const sql = m.queries.join('\n');
      expect(sql, m.name).not.toMatch(/\bDROP\s+TABLE\b|\bDROP\s+COLUMN\b|\bRENAME\s+TO\b/i);
    }
  });

  it('build the whole schema from an empty database, the same as the one the tests run on', async () => {
    const db = env.MIGRATIONS_EMPTY_DB;
    expect((await schemaOf(db)).objects).toEqual([]);
    await applyD1Migrations(db, env.TEST_MIGRATIONS);
    expect(await schemaOf(db)).toEqual(await schemaOf(env.DB));
    // Applying them again changes nothing: each is recorded once.
    await applyD1Migrations(db, env.TEST_MIGRATIONS);
    const applied = await db.prepare('SELECT name FROM d1_migrations ORDER BY id').all<{ name: string }>();
    expect(applied.results.map((r) => r.name)).toEqual(env.TEST_MIGRATIONS.map((m) => m.name));
  });

  it('upgrade a database of the previous release, keeping its signatures, counts and keys', async () => {
    const db = env.MIGRATIONS_PREVIOUS_DB;
    const previous = env.TEST_MIGRATIONS.slice(0, PREVIOUS_RELEASE_MIGRATIONS);
    await applyD1Migrations(db, previous);
    // The demo seed's rows for the tables that release had (later seeds also fill newer tables).
    const tables = new Set((await db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all<{ name: string }>()).results.map((r) => r.name));
    const seed = splitSql(demoSeed).filter((s) => tables.has(/^INSERT INTO (\w+)/.exec(s)?.[1] ?? ''));
    await db.batch(seed.map((s) => db.prepare(s)));
    // Signatures as the previous release wrote them (its columns only), through its own count update.
    const sign = (email: string, last: string) => [
      db
        .prepare(
          `INSERT INTO signatures (campaign_id, first_name, last_name, email, email_hash, zip, phone, partner, consent_effort)
           SELECT id, 'Ana', ?2, ?1, 'hash-' || ?1, '60076', '+1 312 555 0100', 'old-partner', 1 FROM campaigns WHERE slug = 'skokie'`,
        )
        .bind(email, last),
      db.prepare("UPDATE campaigns SET signature_count = signature_count + changes() WHERE slug = 'skokie'"),
    ];
    await db.batch([
      ...sign('a@example.org', 'Lopez'),
      ...sign('b@example.org', 'Nuñez'),
      db.prepare("INSERT INTO idempotency_keys (key, request_hash, status, response) VALUES ('key-from-0.1.0', 'h', 201, '{}')"),
    ]);
    const snapshot = async () => ({
      signatures: (await db.prepare('SELECT campaign_id, first_name, last_name, email, email_hash, zip, phone, partner, consent_partner, consent_effort, created_at FROM signatures ORDER BY id').all()).results,
      counts: (await db.prepare('SELECT slug, signature_count FROM campaigns ORDER BY slug').all()).results,
      effort: await db.prepare('SELECT signature_count, campaign_count FROM efforts').first(),
      keys: (await db.prepare('SELECT key, request_hash, status, response FROM idempotency_keys').all()).results,
    });
    const before = await snapshot();
    expect(before.signatures).toHaveLength(2);
    expect(before.effort).toEqual({ signature_count: 11, campaign_count: 9 });

    await applyD1Migrations(db, env.TEST_MIGRATIONS);

    expect(await snapshot()).toEqual(before);
    expect(await schemaOf(db)).toEqual(await schemaOf(env.DB));
    // The new columns start empty on old rows, and the triggers still carry counts to the effort.
    expect(await db.prepare('SELECT count(*) AS n FROM signatures WHERE anonymised_at IS NULL').first()).toEqual({ n: 2 });
    await db.prepare("UPDATE campaigns SET signature_count = signature_count + 1 WHERE slug = 'skokie'").run();
    expect(await db.prepare('SELECT signature_count FROM efforts').first()).toEqual({ signature_count: 12 });
  });
});
