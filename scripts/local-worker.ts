/**
 * Runs the real thing locally: the Worker under `wrangler dev` with a local D1 (SQLite) database,
 * migrations applied and the demo seeded. Used by `npm start`, the end-to-end tests and the benchmarks.
 * No account, no network.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadGazetteer } from './gazetteer.ts';
import { ROOT, wranglerEnv } from './wrangler-env.ts';

export { ROOT, wranglerEnv };

const WRANGLER = `${ROOT}node_modules/.bin/wrangler`;

function run(cmd: string, args: string[], quiet = true) {
  const r = spawnSync(cmd, args, { cwd: ROOT, env: wranglerEnv(), stdio: quiet ? 'pipe' : 'inherit', encoding: 'utf8' });
  if (r.status !== 0) {
    if (quiet) process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
    throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
  }
}

/** Local secrets for `wrangler dev`: created once with random values, never committed. */
export function ensureDevVars(): string {
  const path = `${ROOT}.dev.vars`;
  const token = () => randomBytes(24).toString('base64url');
  if (!existsSync(path)) {
    writeFileSync(
      path,
      `# Local secrets for wrangler dev (not committed).\nADMIN_TOKEN=${token()}\nEMAIL_HASH_KEY=${token()}\nDESTINATIONS_KEY=${token()}\nLOCAL_DEVELOPMENT=true\n`,
      { mode: 0o600 },
    );
  } else if (!/^DESTINATIONS_KEY=/m.test(readFileSync(path, 'utf8'))) {
    // Added later (it encrypts destination secrets): a .dev.vars from before gets one too.
    appendFileSync(path, `DESTINATIONS_KEY=${token()}\n`);
  }
  return path;
}

/** The builds of dist/, the Worker's static assets, in order (the first empties dist/). */
export const BUILDS = [
  { what: 'widget.js and the demo', args: ['build', '--logLevel', 'warn'] },
  { what: 'the organizer page (/admin/)', args: ['build', '--config', 'admin/vite.config.ts', '--logLevel', 'warn'] },
  { what: 'the start-a-campaign page (/start/)', args: ['build', '--config', 'start/vite.config.ts', '--logLevel', 'warn'] },
];

/** Builds widget.js, the demo, the organizer page (/admin/) and the start page (/start/) into dist/. */
export function build() {
  for (const b of BUILDS) run(`${ROOT}node_modules/.bin/vite`, b.args, false);
}

/** Applies the migrations and the (idempotent) demo seed to the local database under `persistTo`. */
export function prepareDatabase(persistTo?: string) {
  const where = persistTo ? ['--persist-to', persistTo] : [];
  run(WRANGLER, ['d1', 'migrations', 'apply', 'DB', '--local', ...where]);
  run(WRANGLER, ['d1', 'execute', 'DB', '--local', '--file', 'worker/seed/demo.sql', ...where]);
  loadGazetteer({ persistTo, log: console.log });
}

export interface LocalWorker {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `wrangler dev` in its own process group (so stopping it stops workerd too) and resolves
 * once it answers HTTP.
 */
export async function startWorker(opts: {
  port: number;
  persistTo?: string;
  stdio?: 'inherit' | 'pipe';
  /** [vars] overrides, e.g. { MIN_SUBMIT_MS: '0', RATE_LIMITS: 'off' } (`wrangler dev --var KEY:VALUE`). */
  vars?: Record<string, string>;
  /** Serve GET /__scheduled?cron=… to run the cron handler (`wrangler dev --test-scheduled`). */
  testScheduled?: boolean;
  /** Another wrangler.toml (the benchmarks' bare Worker). */
  config?: string;
  /** What must answer 2xx before the Worker counts as started (default: the demo effort). */
  readyPath?: string;
  /** More `wrangler dev` arguments, e.g. ['--log-level', 'warn']. */
  args?: string[];
}): Promise<LocalWorker> {
  const args = ['dev', '--port', String(opts.port), '--ip', '127.0.0.1', '--show-interactive-dev-session=false', ...(opts.args ?? [])];
  if (opts.persistTo) args.push('--persist-to', opts.persistTo);
  if (opts.config) args.push('--config', opts.config);
  // A local Worker may run on the development EMAIL_HASH_KEY (a deployed one refuses writes without the secret).
  for (const [key, value] of Object.entries({ LOCAL_DEVELOPMENT: 'true', ...opts.vars })) args.push('--var', `${key}:${value}`);
  if (opts.testScheduled) args.push('--test-scheduled');
  const child = spawn(WRANGLER, args, { cwd: ROOT, env: wranglerEnv(), detached: true, stdio: opts.stdio ?? 'pipe' });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${opts.port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {}
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {}
  };
  for (let i = 0; i < 120; i++) {
    if (child.exitCode !== null) throw new Error(`wrangler dev ${opts.config ?? ''} exited early:\n${output}`);
    try {
      const res = await fetch(`${url}${opts.readyPath ?? '/v1/efforts/expand-sanctuary'}`);
      await res.arrayBuffer();
      if (res.ok) {
        // A Worker a test forgot to stop must neither keep the test process alive nor outlive it.
        child.unref();
        (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
        (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
        process.once('exit', () => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {}
        });
        return { url, process: child, stop };
      }
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`wrangler dev ${opts.config ?? ''} did not answer on ${url}${opts.readyPath ?? ''} within 60 s:\n${output}`);
}

/** A fresh, empty state folder for an isolated local database (tests, benchmarks). */
export function freshStateDir(name: string): string {
  const dir = `${ROOT}.tmp/${name}-${process.pid}-${Date.now()}`;
  mkdirSync(dir, { recursive: true });
  return dir;
}
