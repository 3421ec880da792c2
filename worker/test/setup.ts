import { applyD1Migrations, env } from 'cloudflare:test';
import demoSeed from '../seed/demo.sql?raw';
import { splitSql } from './helpers.ts';

// Each test file starts from the migrations plus the demo effort and its nine local campaigns.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
const seeded = await env.DB.prepare('SELECT count(*) AS n FROM efforts').first<{ n: number }>();
if (!seeded?.n) await env.DB.batch(splitSql(demoSeed).map((s) => env.DB.prepare(s)));
