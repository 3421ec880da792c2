/**
 * What one D1 database holds: the local D1 (SQLite) file of a fresh database (migrations, demo seed,
 * gazetteer) before and after 100,000 signatures are written into it with every index and trigger of
 * today's schema, and the same for 100,000 Idempotency-Key records (the answer the sign path stores
 * under each key, kept until the retention job drops it). Gives bytes per signature and how many
 * signatures fit in D1's 10 GB (docs/scaling.md does the arithmetic).
 */
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshStateDir, prepareDatabase } from '../scripts/local-worker.ts';
import { d1File, log, round, type SectionResult } from './lib.ts';

const N = 100_000;
const D1_MAX_BYTES = 10 * 1000 ** 3;

/** Bytes of every SQLite file (database, WAL) under the state folder's D1 directory. */
function d1Bytes(stateDir: string): number {
  let total = 0;
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.sqlite(-wal)?$/.test(e.name)) total += statSync(p).size;
    }
  };
  walk(join(stateDir, 'v3', 'd1'));
  return total;
}

/** Rows shaped like real ones: names, a 24-character email, its 64-hex HMAC, a ZIP, some phones and partners, a referral code. */
const SIGNATURES = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${N})
INSERT INTO signatures (campaign_id, first_name, last_name, email, email_hash, zip, phone, partner, consent_partner, consent_effort, referral_code, referred_by)
SELECT (SELECT id FROM campaigns WHERE slug = 'skokie'), 'Maria' || (i % 7), 'Hernandez' || (i % 5), 'supporter' || i || '@example.org',
       lower(hex(randomblob(32))), printf('%05d', 60000 + i % 999),
       CASE WHEN i % 3 = 0 THEN '555 010 ' || printf('%04d', i % 10000) END,
       CASE WHEN i % 3 = 1 THEN 'north-shore-ijc' END, i % 3 = 1, i % 2,
       substr(hex(randomblob(9)), 1, 12), NULL
  FROM n;`;

const IDEMPOTENCY = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${N})
INSERT INTO idempotency_keys (key, request_hash, status, response)
SELECT lower(hex(randomblob(16))), lower(hex(randomblob(32))), 201,
       '{"data":{"campaign":"skokie","signatureCount":' || (1000 + i) || ',"goal":1000,"referralCode":"' || substr(hex(randomblob(9)), 1, 12) || '"}}'
  FROM n;`;

export async function run(): Promise<SectionResult> {
  const stateDir = freshStateDir('bench-storage');
  const sqlDir = mkdtempSync(join(tmpdir(), 'sanctuary-storage-'));
  try {
    prepareDatabase(stateDir);
    const file = (name: string, sql: string) => {
      const p = join(sqlDir, name);
      writeFileSync(p, sql);
      return p;
    };
    const base = d1Bytes(stateDir);
    log(`writing ${N.toLocaleString('en-US')} signatures`);
    d1File(stateDir, file('signatures.sql', SIGNATURES));
    const withSignatures = d1Bytes(stateDir);
    log(`writing ${N.toLocaleString('en-US')} Idempotency-Key records`);
    d1File(stateDir, file('idempotency.sql', IDEMPOTENCY));
    const withKeys = d1Bytes(stateDir);
    const perSignature = (withSignatures - base) / N;
    const perKey = (withKeys - withSignatures) / N;
    const fit = D1_MAX_BYTES / (perSignature + perKey);
    return {
      title: 'What one D1 database holds (10 GB)',
      figures: [
        {
          name: 'bytes per signature on disk (row + indexes)',
          value: round(perSignature),
          unit: 'B',
          better: 'lower',
          note: `Local D1 (SQLite) file: ${round(base / 1e6)} MB fresh (schema, demo seed, gazetteer), ${round(withSignatures / 1e6)} MB after ${N.toLocaleString('en-US')} signatures: ${round((withSignatures - base) / 1e6)} MB per 100,000.`,
        },
        {
          name: 'bytes per Idempotency-Key record (until the retention job drops it)',
          value: round(perKey),
          unit: 'B',
          better: 'lower',
          note: `${round((withKeys - withSignatures) / 1e6)} MB per 100,000 keys (the widget sends one per signature).`,
        },
        {
          name: 'signatures one D1 database holds (10 GB), each with its key record',
          value: Math.round(fit / 1e5) * 1e5,
          unit: '',
          better: 'higher',
          note: `10 GB ÷ ${round(perSignature + perKey)} B; without the key records (dropped after their retention) ${(Math.round(D1_MAX_BYTES / perSignature / 1e5) * 1e5).toLocaleString('en-US')}. See docs/scaling.md.`,
        },
      ],
      details: [
        'Rows shaped like real ones (names, a 24-character email, its 64-hex HMAC, ZIP, a phone for a third, a partner for a third, a 12-character referral code), written with every index and trigger of the current schema; sizes are the SQLite files (database + WAL) of the local D1.',
      ],
    };
  } finally {
    rmSync(sqlDir, { recursive: true, force: true });
    rmSync(stateDir, { recursive: true, force: true });
  }
}
