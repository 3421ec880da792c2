/**
 * The sanctuary-petition Worker: composes the /v1 API. Static assets (widget.js, the demo page)
 * are served by Workers Static Assets before this code runs (see wrangler.toml).
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './env.ts';
import { ApiError, errorBody, handleError } from './errors.ts';
import { apiCors } from './middleware/cors.ts';
import { limitPostsByIp } from './middleware/rate-limit.ts';
import { runRetention } from './retention.ts';
import { admin, downloads } from './routes/admin.ts';
import { campaigns } from './routes/campaigns.ts';
import { effortCampaigns } from './routes/effort-campaigns.ts';
import { efforts } from './routes/efforts.ts';

const app = new Hono<AppEnv>();

app.use('/v1/*', apiCors);
app.use(
  '/v1/*',
  secureHeaders({
    crossOriginResourcePolicy: 'cross-origin',
    // The API answers JSON only: nothing in it may run, load or be framed.
    contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  }),
);
// Per-IP rate limit first: a flood costs one limiter call per request and nothing more.
app.use('/v1/*', limitPostsByIp);
const publicBodyLimit = bodyLimit({
  maxSize: 16 * 1024,
  onError: () => {
    throw new ApiError(413, 'payload_too_large', 'The request body is too large (16 kB at most).');
  },
});
// The organizer API sets its own, larger limit (targets CSV), after its token check.
app.use('/v1/*', (c, next) => (c.req.path.startsWith('/v1/admin/') ? next() : publicBodyLimit(c, next)));

app.route('/v1/efforts', efforts);
app.route('/v1/campaigns', campaigns);
app.route('/v1/efforts', effortCampaigns);
app.route('/v1/admin', admin);
app.route('/v1/downloads', downloads);

app.notFound((c) =>
  c.req.path.startsWith('/v1/')
    ? c.json(errorBody('not_found', 'There is no such endpoint.'), 404)
    : c.env.ASSETS.fetch(c.req.raw),
);
app.onError(handleError);

/** The cron trigger (wrangler.toml `[triggers]`): the retention job (see retention.ts). */
const scheduled: ExportedHandlerScheduledHandler<AppEnv['Bindings']> = async (controller, env) => {
  await runRetention(env, new Date(controller.scheduledTime));
};

export default { fetch: app.fetch, scheduled } satisfies ExportedHandler<AppEnv['Bindings']>;
