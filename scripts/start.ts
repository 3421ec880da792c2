/**
 * `npm start`: builds the widget, the demo and the hosted pages, applies the D1 migrations and the
 * demo seed to the local database (.wrangler/state), and serves everything at http://localhost:8787/ .
 * Running it twice changes nothing in the data: every step is idempotent.
 */
import { spawn } from 'node:child_process';
import { ROOT, build, ensureDevVars, prepareDatabase, wranglerEnv } from './local-worker.ts';

const port = Number(process.env.PORT ?? 8787);
const devVars = ensureDevVars();
console.log(`[sanctuary-petition] local secrets (ADMIN_TOKEN, EMAIL_HASH_KEY, DESTINATIONS_KEY) are in ${devVars}`);
console.log('[sanctuary-petition] building widget.js, the demo, /admin/ and /start/…');
build();
console.log('[sanctuary-petition] applying migrations and the demo seed to the local D1 database…');
prepareDatabase();
console.log(`[sanctuary-petition] demo partner page: http://localhost:${port}/`);

const child = spawn(`${ROOT}node_modules/.bin/wrangler`, ['dev', '--port', String(port), '--show-interactive-dev-session=false'], {
  cwd: ROOT,
  env: wranglerEnv(),
  stdio: 'inherit',
  detached: true,
});
const stop = () => {
  try {
    process.kill(-child.pid!, 'SIGTERM');
  } catch {}
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
child.on('exit', (code) => process.exit(code ?? 0));
