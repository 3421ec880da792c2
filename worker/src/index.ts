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
import { countingD1, type D1Counter } from './d1-count.ts';
import { SWEEP_CRON, consume, handOver, sweep, type EventMessage } from './events/outbox.ts';
import { forgetReadFacts } from './middleware/origin.ts';
import { limitPostsByIp, limitReadsByIp } from './middleware/rate-limit.ts';
import { deliverOwedEmails } from './confirmation/mailer.ts';
import { PAGE_CSP } from './confirmation/page.ts';
import { requireEmailHashKey } from './form-guard.ts';
import { runRetention } from './retention.ts';
import { confirmations } from './routes/confirmations.ts';
import { admin, downloads } from './routes/admin.ts';
import { campaigns } from './routes/campaigns.ts';
import { delivery } from './routes/delivery.ts';
import { destinations } from './routes/destinations.ts';
import { effortCampaigns } from './routes/effort-campaigns.ts';
import { efforts } from './routes/efforts.ts';

const app = new Hono<AppEnv>();

app.use('/v1/*', apiCors);
const apiHeaders = secureHeaders({
  crossOriginResourcePolicy: 'cross-origin',
  // The API answers JSON only: nothing in it may run, load or be framed.
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
});
// The confirmation pages (HTML): no script, their one stylesheet by hash, forms posting to this origin only.
const pageHeaders = secureHeaders({ contentSecurityPolicy: undefined });
app.use('/v1/*', async (c, next) => {
  if (!c.req.path.startsWith('/v1/confirm/')) return apiHeaders(c, next);
  await pageHeaders(c, next);
  c.res.headers.set('content-security-policy', PAGE_CSP);
});
/** D1 calls of this isolate since it started, when BENCH_COUNT_D1 is "on" (bench/cache.ts reads it); before
 * the limiters, which must not refuse the bench its own count. Otherwise it does not exist (404). */
const d1Calls: D1Counter = { calls: 0 };
app.get('/v1/__bench/d1-calls', (c, next) => (c.env.BENCH_COUNT_D1 === 'on' ? c.json({ data: { calls: d1Calls.calls } }) : next()));

// Per-IP rate limits first: a flood costs one limiter call per request and nothing more.
app.use('/v1/*', limitPostsByIp);
app.use('/v1/*', limitReadsByIp);
// Without EMAIL_HASH_KEY a deployed Worker refuses every write (a 500 envelope, logged): see form-guard.ts.
app.use('/v1/*', requireEmailHashKey);
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

// An organizer's write (moderation, sites, officials) may change what reads answer: reads in this
// isolate and data centre see it at once (elsewhere the read facts are at most a few seconds old).
app.use('/v1/admin/*', async (c, next) => {
  await next();
  if (c.req.method !== 'GET') await forgetReadFacts();
});

app.route('/v1/efforts', efforts);
app.route('/v1/campaigns', campaigns);
app.route('/v1/efforts', effortCampaigns);
app.route('/v1/admin', destinations);
app.route('/v1/admin', delivery);
app.route('/v1/admin', admin);
app.route('/v1/downloads', downloads);
app.route('/v1/confirm', confirmations);

app.notFound((c) =>
  c.req.path.startsWith('/v1/')
    ? c.json(errorBody('not_found', 'There is no such endpoint.'), 404)
    : c.env.ASSETS.fetch(c.req.raw),
);
app.onError(handleError);

/**
 * The cron triggers: every time, the events outbox sweep (events/outbox.ts) and the confirmation emails
 * still owed (a send that failed is retried until it goes: confirmation/mailer.ts); daily, the retention
 * job too (retention.ts).
 */
const scheduled: ExportedHandlerScheduledHandler<AppEnv['Bindings']> = async (controller, env) => {
  const now = new Date(controller.scheduledTime);
  const swept = sweep(env, now).catch((err: Error) => console.error('[sanctuary-petition] events: sweep failed:', err.name));
  const emails = await deliverOwedEmails(env, null, 200, now);
  if (emails.sent || emails.failed || emails.gaveUp) console.log('[sanctuary-petition] owed emails:', JSON.stringify(emails));
  if (controller.cron !== SWEEP_CRON) await runRetention(env, now);
  await swept;
};

/** The queue consumer: events to their destinations, and the dead letters (events/outbox.ts). */
const queue: ExportedHandlerQueueHandler<AppEnv['Bindings'], EventMessage> = (batch, env) => consume(batch, env);

/** With BENCH_COUNT_D1 "on", every request sees a D1 binding that counts its calls (d1-count.ts). */
const fetch = (request: Request, env: AppEnv['Bindings'], ctx: ExecutionContext) =>
  app.fetch(request, env.BENCH_COUNT_D1 === 'on' ? { ...env, DB: countingD1(env.DB, d1Calls) } : env, ctx);

export default { fetch, scheduled, queue } satisfies ExportedHandler<AppEnv['Bindings'], EventMessage>;
