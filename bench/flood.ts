/**
 * Signing under a read flood: signatures/s while a second client floods the Worker with cache-busting
 * lookups (a new point each time) and random campaign slugs, against signing alone, in the same run on
 * one Worker, in alternating rounds. The rate limiters are ON, as deployed (wrangler.toml): this is
 * what the read limiter is for.
 *
 * Who is who, locally: every request to `wrangler dev` comes from 127.0.0.1, and the limiters key on
 * CF-Connecting-IP, which the bench therefore sets itself (wrangler dev keeps a CF-Connecting-IP the
 * client sends). The signers are many people (a new address per signature, spread over 100 campaigns,
 * so neither the per-IP nor the per-campaign limit refuses them: that is the crowd signing); the flood
 * is ONE client (one address), as the issue describes. A flood from many addresses at once (a botnet:
 * each one under the per-IP limit) is measured too, without a goal: there only the cache, the cached
 * 404s and the ring ceiling stand between it and D1.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareDatabase } from '../scripts/local-worker.ts';
import { d1File, load, log, round, startBenchWorker, type BenchWorker, type Load, type SectionResult } from './lib.ts';

const TITLE = 'Signing under a read flood (rate limiters on)';
const DURATION = 5;
const ROUNDS = 2;
const SIGNERS = 10;
/** The flood: a few hundred requests a second, as the issue describes, from 10 connections. */
const FLOOD_RATE = 300;
const FLOOD_CONNECTIONS = 10;
const CAMPAIGNS = 100;

let n = 0;
const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
const campaignSlugs = Array.from({ length: CAMPAIGNS }, (_, i) => `flood-bench-${i}`);

/** 100 more live campaigns in the demo effort (so 300 signatures/min per campaign never binds). */
function prepare(stateDir: string) {
  prepareDatabase(stateDir);
  const dir = mkdtempSync(join(tmpdir(), 'sanctuary-flood-'));
  try {
    const file = join(dir, 'campaigns.sql');
    writeFileSync(
      file,
      `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${CAMPAIGNS - 1})
       INSERT INTO campaigns (effort_id, slug, town, state, lat, lon, target_name, target_title, title, body, goal, status)
       SELECT e.id, 'flood-bench-' || i, 'Town ' || i, 'IL', 41 + i / 100.0, -88 + i / 100.0, 'Mayor ' || i, 'Mayor', 'Campaign ' || i, 'Text', 1000, 'live'
         FROM n, efforts e WHERE e.slug = 'expand-sanctuary';\n`,
    );
    d1File(stateDir, file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function signing(url: string, duration: number): Promise<Load> {
  return load({
    url,
    method: 'POST',
    duration,
    connections: SIGNERS,
    requests: [
      {
        setupRequest: (req) => {
          const i = n++;
          return {
            ...req,
            path: `/v1/campaigns/${campaignSlugs[i % CAMPAIGNS]}/signatures`,
            headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), 'cf-connecting-ip': ip(i + 1) },
            body: JSON.stringify({ firstName: 'Flood', lastName: 'Signer', email: `flood.${process.pid}.${i}@example.org`, zip: '60076' }),
          };
        },
      },
    ],
  });
}

/** What a flooding client sends: every other request a lookup at a new point, else an unknown slug. */
function flood(url: string, duration: number, oneClient: boolean) {
  let k = 0;
  return load({
    url,
    duration,
    connections: FLOOD_CONNECTIONS,
    overallRate: FLOOD_RATE,
    requests: [
      {
        setupRequest: (req) => {
          const i = k++;
          const path =
            i % 2
              ? `/v1/efforts/expand-sanctuary/lookup?lat=${(25 + Math.random() * 24).toFixed(3)}&lon=${(-124 + Math.random() * 57).toFixed(3)}`
              : `/v1/campaigns/no-such-${randomUUID().slice(0, 8)}`;
          return { ...req, path, headers: { origin: 'https://flood.example', 'cf-connecting-ip': oneClient ? '203.0.113.66' : ip(5_000_000 + i) } };
        },
      },
    ],
  });
}

export async function run(): Promise<SectionResult> {
  let worker: BenchWorker | undefined;
  const stateDir = existsSync('/dev/shm') ? mkdtempSync('/dev/shm/sanctuary-bench-flood-') : undefined;
  try {
    worker = await startBenchWorker({ name: 'flood', vars: { MIN_SUBMIT_MS: '0' }, readyPath: '/v1/campaigns/skokie', prepare, stateDir });
    const url = worker.url;
    await signing(url, 2); // warm-up: every campaign read once by the sign path
    const alone: Load[] = [];
    const one: Load[] = [];
    const many: Load[] = [];
    const floods: { one: Load[]; many: Load[] } = { one: [], many: [] };
    for (let r = 1; r <= ROUNDS; r++) {
      log(`round ${r}/${ROUNDS}: ${DURATION} s signing alone, then under a flood from one client, then from many`);
      alone.push(await signing(url, DURATION));
      const [s1, f1] = await Promise.all([signing(url, DURATION), flood(url, DURATION, true)]);
      one.push(s1);
      floods.one.push(f1);
      const [s2, f2] = await Promise.all([signing(url, DURATION), flood(url, DURATION, false)]);
      many.push(s2);
      floods.many.push(f2);
    }
    const rate = (ls: Load[]) => ls.reduce((s, l) => s + l.requestsPerSecond, 0) / ls.length;
    const refused = (ls: Load[]) => ls.reduce((s, l) => s + l.other + l.errors, 0);
    const sent = (ls: Load[]) => ls.reduce((s, l) => s + l.ok + l.other, 0);
    const bad = refused(alone) + refused(one) + refused(many);
    const a = rate(alone);
    const oneClient = rate(one);
    const manyClients = rate(many);
    const floodAnswered = (ls: Load[]) => `${sent(ls)} flood requests answered (${ls.reduce((s, l) => s + l.ok, 0)} 2xx, ${ls.reduce((s, l) => s + l.other, 0)} 404/429)`;
    return {
      title: TITLE,
      figures: [
        {
          name: 'signatures/s under a flood from one client',
          value: round(oneClient),
          unit: '/s',
          better: 'higher',
          floor: { name: 'signing alone, same run', value: round(a) },
          goal: { text: '≥ 0.9× signing alone', met: oneClient >= 0.9 * a },
          note: `The flood: ${FLOOD_RATE} requests/s from one address, cache-busting lookups and random slugs; ${floodAnswered(floods.one)}. The read limiter (100 per 10 s) answers all but a few 429, which cost no D1.`,
        },
        {
          name: 'signatures/s under a flood from many clients (each under the limit)',
          value: round(manyClients),
          unit: '/s',
          better: 'higher',
          floor: { name: 'signing alone, same run', value: round(a) },
          note: `The same ${FLOOD_RATE} requests/s, each from another address: no per-IP limit applies; ${floodAnswered(floods.many)}. Every lookup at a new point is a cache miss and a grid search in D1.`,
        },
      ],
      details: [
        `Per round, signatures/s alone / one-client flood / many-client flood: ${alone.map((l, i) => `${round(l.requestsPerSecond)} / ${round(one[i]!.requestsPerSecond)} / ${round(many[i]!.requestsPerSecond)}`).join('; ')}.`,
        `Signing: ${SIGNERS} connections, each signature from its own address on one of ${CAMPAIGNS} campaigns (so the per-IP and per-campaign limits, on as deployed, never refuse it: ${bad} signatures were not 201). RATE_LIMITS on, MIN_SUBMIT_MS 0; state on ${stateDir ? 'tmpfs' : 'disk'}; ${DURATION} s per measurement, ${ROUNDS} rounds.`,
        'Locally the flooding client, the signers and the Worker share the 2 cores, so part of any drop is CPU taken by the flood itself (autocannon and workerd answering it), not D1.',
      ],
    };
  } finally {
    await worker?.stop();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  }
}
