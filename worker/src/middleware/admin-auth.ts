import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';
import { errorBody } from '../errors.ts';

const encoder = new TextEncoder();
const digest = (s: string) => crypto.subtle.digest('SHA-256', encoder.encode(s));

/**
 * True when `given` is the token. Both sides are hashed first, so the constant-time comparison
 * (workerd's crypto.subtle.timingSafeEqual) always sees 32 bytes: neither the token's length nor
 * the position of the first wrong character shows in the timing.
 */
export async function tokenMatches(given: string, token: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(given), digest(token)]);
  return crypto.subtle.timingSafeEqual(a, b);
}

let warnedUnset = false;

/**
 * The organizer API's guard: `Authorization: Bearer <ADMIN_TOKEN>`, or 401 in the one envelope.
 * With ADMIN_TOKEN unset (or shorter than 16 characters) every request is refused.
 */
export const adminAuth = createMiddleware<AppEnv>(async (c, next) => {
  const token = c.env.ADMIN_TOKEN ?? '';
  if (token.length < 16 && !warnedUnset) {
    warnedUnset = true;
    console.warn('[sanctuary-petition] ADMIN_TOKEN is unset or shorter than 16 characters: the organizer API refuses every request. Set it with `wrangler secret put ADMIN_TOKEN` (locally: .dev.vars).');
  }
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(c.req.header('authorization') ?? '');
  if (token.length < 16 || !match || !(await tokenMatches(match[1]!, token))) {
    return c.json(errorBody('unauthorized', 'A valid organizer token is required (Authorization: Bearer …).'), 401, {
      'www-authenticate': 'Bearer realm="sanctuary-petition admin"',
      'cache-control': 'no-store',
    });
  }
  await next();
  // Organizer answers hold personal data: no cache may keep them.
  c.res.headers.set('cache-control', 'no-store');
});
