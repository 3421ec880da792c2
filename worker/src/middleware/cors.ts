import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';

/**
 * CORS for partner pages. ALLOWED_ORIGINS is "*" (any site may embed the widget) or a comma-separated
 * allow-list. The JSON body makes every POST a preflight: OPTIONS is answered and cached for a day.
 */
export const apiCors = createMiddleware<AppEnv>((c, next) =>
  cors({
    origin: (origin) => {
      const allowed = (c.env.ALLOWED_ORIGINS ?? '*').split(',').map((s) => s.trim()).filter(Boolean);
      if (allowed.includes('*')) return origin || '*';
      return allowed.includes(origin) ? origin : null;
    },
    allowMethods: ['GET', 'POST', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Idempotency-Key'],
    exposeHeaders: ['Idempotent-Replayed', 'Retry-After'],
    maxAge: 86400,
  })(c, next),
);
