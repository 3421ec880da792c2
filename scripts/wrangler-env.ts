/** Where the project is, and how every script runs wrangler: quiet and offline. */
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Quiet, offline wrangler: no metrics, no fetch of the request.cf object, logs inside the project. */
export const wranglerEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  WRANGLER_LOG_PATH: `${ROOT}.wrangler/logs`,
  WRANGLER_REGISTRY_PATH: `${ROOT}.wrangler/registry`,
  FORCE_COLOR: '0',
});
