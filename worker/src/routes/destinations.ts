/**
 * Organizers' destinations of an effort's events (mounted at /v1/admin, behind the organizer token):
 * webhooks (Standard Webhooks) and Action Network (OSDI), with pause, resume, replay and a delivery log.
 * Secrets are shown once, at creation, and stored only encrypted (events/secrets.ts).
 */
import { Hono } from 'hono';
import { z } from 'zod';
import {
  deleteDestination,
  deliveryLog,
  getDestination,
  getEffortId,
  insertDestination,
  listDestinations,
  partnerExists,
  setDestinationStatus,
  takeForReplay,
  type DestinationRow,
} from '../db/destinations.ts';
import type { AppEnv } from '../env.ts';
import { ApiError, notFound } from '../errors.ts';
import { newDestinationId, newWebhookSecret, seal } from '../events/secrets.ts';
import type { EventMessage } from '../events/outbox.ts';
import { adminAuth } from '../middleware/admin-auth.ts';
import { requireJson } from '../middleware/json.ts';
import { validate } from '../middleware/validate.ts';
import { PartnerCode, Slug } from '../schemas.ts';

export const destinations = new Hono<AppEnv>();

destinations.use('/efforts/:effort/destinations', adminAuth);
destinations.use('/efforts/:effort/destinations/*', adminAuth);

/** This Worker runs locally (wrangler dev, npm start): its own address is localhost. */
const runsLocally = (requestUrl: string) => ['localhost', '127.0.0.1', '[::1]'].includes(new URL(requestUrl).hostname);
const isLoopback = (u: URL) => ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);

const DestinationUrl = z.string('Must be text.').trim().max(2000).pipe(z.url({ protocol: /^https?$/, error: 'Enter a full https:// address.' }));

export const DestinationInput = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('webhook'),
    url: DestinationUrl,
    name: z.string().trim().max(100).optional(),
    partner: PartnerCode.optional(),
  }),
  z.strictObject({
    kind: z.literal('action_network'),
    /** The petition's API address: https://actionnetwork.org/api/v2/petitions/{id} */
    url: DestinationUrl,
    apiKey: z.string('Enter the API key.').trim().min(8, 'Enter the API key.').max(200),
    name: z.string().trim().max(100).optional(),
    partner: PartnerCode.optional(),
  }),
], { error: 'Use "kind": "webhook" or "action_network".' });

const EffortParams = z.object({ effort: Slug });
const DestinationParams = z.object({ effort: Slug, id: z.string().regex(/^dst_[0-9a-f]{16}$/, 'No such destination.') });
const LogQuery = z.strictObject({
  status: z.enum(['pending', 'delivered', 'failing', 'dead']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const present = (d: DestinationRow) => ({
  id: d.id,
  kind: d.kind,
  url: d.url,
  name: d.name,
  partner: d.partner_code,
  status: d.status,
  createdAt: d.created_at,
  deliveries: { delivered: d.delivered, pending: d.pending, failing: d.failing, dead: d.dead },
  lastDeliveredAt: d.last_delivered_at,
  lastError: d.last_error,
});

async function effortOr404(db: D1Database, slug: string) {
  const effort = await getEffortId(db, slug);
  if (!effort) throw notFound('That effort');
  return effort;
}

async function destinationOr404(db: D1Database, effortSlug: string, id: string) {
  const effort = await effortOr404(db, effortSlug);
  const d = await getDestination(db, effort.id, id);
  if (!d) throw notFound('That destination');
  return d;
}

const invalid = (path: string, message: string) => new ApiError(400, 'validation_failed', 'Some fields need attention.', [{ path, message }]);

/** Sends the given events of one destination to the queue again. */
async function enqueue(env: AppEnv['Bindings'], destinationId: string, eventIds: string[]) {
  const messages: EventMessage[] = eventIds.map((eventId) => ({ eventId, destinationId }));
  for (let i = 0; i < messages.length; i += 100) {
    await env.EVENTS!.sendBatch(messages.slice(i, i + 100).map((body) => ({ body, contentType: 'json' as const })));
  }
  return messages.length;
}

destinations.get('/efforts/:effort/destinations', validate('param', EffortParams), async (c) => {
  const effort = await effortOr404(c.env.DB, c.req.valid('param').effort);
  return c.json({ data: (await listDestinations(c.env.DB, effort.id)).map(present) });
});

destinations.post('/efforts/:effort/destinations', requireJson, validate('param', EffortParams), validate('json', DestinationInput), async (c) => {
  const effort = await effortOr404(c.env.DB, c.req.valid('param').effort);
  const input = c.req.valid('json');
  const url = new URL(input.url);
  // Plain http only to this machine, and only while the Worker itself runs locally (tests, npm start).
  if (isLoopback(url) ? !runsLocally(c.req.url) : url.protocol !== 'https:') {
    throw invalid('url', isLoopback(url) ? 'A local address is accepted only when the Worker runs locally.' : 'Use an https:// address.');
  }
  if (input.partner && !(await partnerExists(c.env.DB, input.partner))) throw invalid('partner', 'There is no such partner.');
  const secret = input.kind === 'webhook' ? newWebhookSecret() : input.apiKey;
  const id = newDestinationId();
  await insertDestination(c.env.DB, {
    id,
    effortId: effort.id,
    partnerCode: input.partner ?? null,
    kind: input.kind,
    url: url.toString(),
    name: input.name ?? '',
    secretBox: await seal(c.env, secret),
  });
  const created = present((await getDestination(c.env.DB, effort.id, id))!);
  // The signing secret is shown this once (an Action Network key is the organizer's own: never shown back).
  return c.json({ data: input.kind === 'webhook' ? { ...created, secret } : created }, 201);
});

destinations.get('/efforts/:effort/destinations/:id', validate('param', DestinationParams), async (c) => {
  const { effort, id } = c.req.valid('param');
  return c.json({ data: present(await destinationOr404(c.env.DB, effort, id)) });
});

destinations.delete('/efforts/:effort/destinations/:id', validate('param', DestinationParams), async (c) => {
  const { effort, id } = c.req.valid('param');
  await destinationOr404(c.env.DB, effort, id);
  await deleteDestination(c.env.DB, id);
  return c.json({ data: { id, deleted: true } });
});

destinations.post('/efforts/:effort/destinations/:id/pause', validate('param', DestinationParams), async (c) => {
  const { effort, id } = c.req.valid('param');
  await destinationOr404(c.env.DB, effort, id);
  await setDestinationStatus(c.env.DB, id, 'paused');
  return c.json({ data: present((await destinationOr404(c.env.DB, effort, id))) });
});

/** Resume: active again, and everything it missed meanwhile (and anything failed) is sent. */
destinations.post('/efforts/:effort/destinations/:id/resume', validate('param', DestinationParams), async (c) => {
  const { effort, id } = c.req.valid('param');
  await destinationOr404(c.env.DB, effort, id);
  await setDestinationStatus(c.env.DB, id, 'active');
  const queued = await enqueue(c.env, id, await takeForReplay(c.env.DB, id, 'due'));
  return c.json({ data: { ...present((await destinationOr404(c.env.DB, effort, id))), queued } });
});

/** Replay the failed ones (failing and dead): sent again now, with their same event ids. */
destinations.post('/efforts/:effort/destinations/:id/replay', validate('param', DestinationParams), async (c) => {
  const { effort, id } = c.req.valid('param');
  await destinationOr404(c.env.DB, effort, id);
  const queued = await enqueue(c.env, id, await takeForReplay(c.env.DB, id, 'failed'));
  return c.json({ data: { queued } });
});

/** The delivery log, newest first: event id and type, campaign, state, attempts, last error. No personal data. */
destinations.get('/efforts/:effort/destinations/:id/deliveries', validate('param', DestinationParams), validate('query', LogQuery), async (c) => {
  const { effort, id } = c.req.valid('param');
  await destinationOr404(c.env.DB, effort, id);
  const { status, limit } = c.req.valid('query');
  const rows = await deliveryLog(c.env.DB, id, status ?? null, limit);
  return c.json({
    data: rows.map((r) => ({
      eventId: r.event_id,
      type: r.type,
      campaign: r.campaign,
      status: r.status,
      attempts: r.attempts,
      lastError: r.last_error,
      lastAttemptAt: r.last_attempt_at,
      deliveredAt: r.delivered_at,
      createdAt: r.created_at,
    })),
  });
});
