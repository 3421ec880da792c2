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
import { SWEEP_CRON, consume, handOver, sweep, type EventMessage } from './events/outbox.ts';
import { runRetention } from './retention.ts';
import { admin, downloads } from './routes/admin.ts';
import { campaigns } from './routes/campaigns.ts';
import { destinations } from './routes/destinations.ts';
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

// After a change is answered, the events it wrote (the outbox, in its own transaction) go to the queue.
app.use('/v1/*', async (c, next) => {
  await next();
  if (c.req.method !== 'GET' && c.req.method !== 'OPTIONS' && c.res.status < 300) c.executionCtx.waitUntil(handOver(c.env));
});

app.route('/v1/efforts', efforts);
app.route('/v1/campaigns', campaigns);
app.route('/v1/efforts', effortCampaigns);
app.route('/v1/admin', destinations);
app.route('/v1/admin', admin);
app.route('/v1/downloads', downloads);

app.notFound((c) =>
  c.req.path.startsWith('/v1/')
    ? c.json(errorBody('not_found', 'There is no such endpoint.'), 404)
    : c.env.ASSETS.fetch(c.req.raw),
);
app.onError(handleError);

/** The cron triggers: the outbox sweep (events/outbox.ts) every time, the retention job (retention.ts) daily. */
const scheduled: ExportedHandlerScheduledHandler<AppEnv['Bindings']> = async (controller, env) => {
  const now = new Date(controller.scheduledTime);
  const swept = sweep(env, now).catch((err: Error) => console.error('[sanctuary-petition] events: sweep failed:', err.name));
  if (controller.cron !== SWEEP_CRON) await runRetention(env, now);
  await swept;
};

/** The queue consumer: events to their destinations, and the dead letters (events/outbox.ts). */
const queue: ExportedHandlerQueueHandler<AppEnv['Bindings'], EventMessage> = (batch, env) => consume(batch, env);

export default { fetch: app.fetch, scheduled, queue } satisfies ExportedHandler<AppEnv['Bindings'], EventMessage>;
