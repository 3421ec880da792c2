/**
 * Durability end to end: the real Worker under `wrangler dev` with a persisted local D1 database.
 * Sign, stop the Worker, start it again on the same state: the signature, the count, the
 * deduplication and the idempotent answer are all still there. Then the cron trigger's retention job
 * runs in the real runtime and its work is on disk. Nothing is stubbed.
 */
import assert from 'node:assert/strict';
import { existsSync, rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { ROOT, build, freshStateDir, prepareDatabase, startWorker, wranglerEnv, type LocalWorker } from '../scripts/local-worker.ts';
import { freePort } from './harness.ts';

const ORIGIN = 'https://partner.example';
const SIGN = '/v1/campaigns/skokie/signatures';

describe('a local restart keeps everything', () => {
  let stateDir: string;
  let worker: LocalWorker | undefined;
  const stop = async () => {
    await worker?.stop();
    worker = undefined;
  };
  const start = async (opts: { vars?: Record<string, string>; testScheduled?: boolean } = {}) => {
    await stop(); // a test that failed half-way may have left its Worker running
    worker = await startWorker({ port: await freePort(), persistTo: stateDir, ...opts });
    return worker.url;
  };
  const sign = (url: string, body: unknown, key?: string) =>
    fetch(`${url}${SIGN}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: ORIGIN, ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    });
  /** SQL straight into the persisted local database (while the Worker is stopped). */
  const d1 = (sql: string) => {
    const r = spawnSync(`${ROOT}node_modules/.bin/wrangler`, ['d1', 'execute', 'DB', '--local', '--persist-to', stateDir, '--json', '--command', sql], {
      cwd: ROOT,
      env: wranglerEnv(),
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout)[0].results as Record<string, unknown>[];
  };
  const campaign = async (url: string) => ((await (await fetch(`${url}/v1/campaigns/skokie`)).json()) as { data: { signatureCount: number; recentSigners: { name: string }[] } }).data;
  const effortTotal = async (url: string) => ((await (await fetch(`${url}/v1/efforts/expand-sanctuary`)).json()) as { data: { signatureCount: number } }).data.signatureCount;

  before(() => {
    if (!existsSync(`${ROOT}dist/widget.js`)) build();
    stateDir = freshStateDir('durability');
    prepareDatabase(stateDir);
  });
  after(async () => {
    await stop();
    rmSync(stateDir, { recursive: true, force: true });
  });

  const person = { firstName: 'Dora', lastName: 'Restart', email: `dora.${Date.now()}@example.org`, zip: '60076', phone: '+1 312 555 0142' };
  const key = crypto.randomUUID();
  let signed: { signatureCount: number };
  let total: number;

  it('signs on the first run', async () => {
    const url = await start();
    const before = await campaign(url);
    const res = await sign(url, person, key);
    assert.equal(res.status, 201);
    signed = ((await res.json()) as { data: { signatureCount: number } }).data;
    assert.equal(signed.signatureCount, before.signatureCount + 1);
    total = await effortTotal(url);
    await stop();
  });

  it('finds the signature, the counts, the dedupe and the idempotent answer after a restart', async () => {
    const url = await start();
    const after = await campaign(url);
    assert.equal(after.signatureCount, signed.signatureCount);
    assert.equal(after.recentSigners[0]?.name, 'Dora R.');
    assert.equal(await effortTotal(url), total);
    // The same key: the stored answer, marked replayed, no second row.
    const replay = await sign(url, person, key);
    assert.equal(replay.status, 201);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    const { referralCode, ...replayed } = ((await replay.json()) as { data: { referralCode: string } }).data;
    assert.deepEqual(replayed, { campaign: 'skokie', signatureCount: signed.signatureCount, goal: 100 });
    assert.match(referralCode, /^[A-Za-z0-9_-]{6,32}$/);
    // The same person without a key: answered like anyone, not counted (the email hash survived too).
    const repeat = await sign(url, { ...person, email: person.email.toUpperCase() });
    assert.equal(repeat.status, 201);
    assert.equal((await campaign(url)).signatureCount, signed.signatureCount);
    // The Rate Limiting binding works under wrangler dev too: the 31st POST from one IP is a 429.
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const res = await fetch(`${url}${SIGN}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cf-connecting-ip': '198.51.100.77' },
        body: '{}',
      });
      statuses.push(res.status);
    }
    assert.deepEqual(statuses, [...Array(30).fill(400), 429]);
    await stop();
  });

  it('runs the retention cron in the real runtime, and its work is on disk after the Worker stops', async () => {
    // Dora's signature backdated by two days (the Worker is stopped), then RETENTION_DAYS = 1.
    d1("UPDATE signatures SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-2 days') WHERE last_name = 'Restart'");
    const url = await start({ vars: { RETENTION_DAYS: '1' }, testScheduled: true });
    assert.equal((await fetch(`${url}/__scheduled?cron=${encodeURIComponent('17 3 * * *')}`)).status, 200);
    // Publicly nothing changes: the same count, the same "Dora R.".
    const after = await campaign(url);
    assert.equal(after.signatureCount, signed.signatureCount);
    assert.ok(after.recentSigners.some((s) => s.name === 'Dora R.'));
    await stop();
    // On disk, after the Worker has stopped: the personal data is reduced, the row is kept.
    assert.deepEqual(d1("SELECT email, last_name, phone, zip, anonymised_at IS NOT NULL AS done FROM signatures WHERE first_name = 'Dora'"), [
      { email: '', last_name: 'R', phone: null, zip: '600', done: 1 },
    ]);
  });
});
