/**
 * From the outbox to the queue, and from the queue to the destinations.
 *
 *  1. A change commits with its event row (a trigger in the same statement, or eventStatement in the
 *     same batch): the event exists if and only if the change does.
 *  2. After the response, handOver() claims the events not yet handed over and sends their ids to the
 *     EVENTS queue; if the queue refuses, they are given back. If the Worker dies in between, the cron's
 *     sweep() sends every event not routed a minute after it was written (at-least-once: a repeat is
 *     harmless, deliveries are keyed by (event, destination) and a delivered one is never sent again).
 *  3. The consumer (consume()) routes an event once (who goes where: db/events.ts routeEvent), then sends
 *     each due delivery, records each outcome in D1, and retries the message with exponential backoff
 *     while any failed. After max_retries the message goes to the dead-letter queue, whose consumer marks
 *     what is left `dead`: shown in the delivery log, replayed by an organizer. Nothing is dropped.
 */
import {
  claimStale,
  claimUnhanded,
  dueDeliveries,
  getEvent,
  markDead,
  markDelivered,
  markFailing,
  routeEvent,
  staleDeliveries,
  unclaim,
} from '../db/events.ts';
import type { Env } from '../env.ts';
import { redact } from '../errors.ts';
import { deliver } from './deliver.ts';

/** A queue message: an event's id (and, for a replay or a resume, the one destination to send it to). */
export interface EventMessage {
  eventId: string;
  destinationId?: string;
}

type QueueEnv = Pick<Env, 'DB' | 'EVENTS' | 'DESTINATIONS_KEY' | 'DELIVERY_RETRY_BASE_SECONDS'>;

/** The every-minute cron (wrangler.toml `[triggers]`): the sweep only (the other cron runs retention too). */
export const SWEEP_CRON = '* * * * *';
/** The queue's name for the dead letters (wrangler.toml `dead_letter_queue`). */
export const DEAD_LETTER_QUEUE = 'sanctuary-petition-events-dlq';
/** Events older than this and not routed are sent again by the sweep. */
export const SWEEP_AFTER_MS = 60_000;
/** Deliveries due and untouched this long (a message lost after routing) are sent again by the sweep. */
export const STALE_DELIVERY_MS = 6 * 3_600_000;

async function sendIds(env: QueueEnv, messages: EventMessage[]) {
  // sendBatch takes at most 100 messages.
  for (let i = 0; i < messages.length; i += 100) {
    await env.EVENTS!.sendBatch(messages.slice(i, i + 100).map((body) => ({ body, contentType: 'json' as const })));
  }
}

/** Hands the events written but not handed over to the queue. Never throws (the sweep catches up). */
export async function handOver(env: QueueEnv): Promise<number> {
  if (!env.EVENTS) return 0;
  let ids: string[] = [];
  try {
    ids = await claimUnhanded(env.DB);
    if (ids.length) await sendIds(env, ids.map((eventId) => ({ eventId })));
    return ids.length;
  } catch (err) {
    console.error('[sanctuary-petition] events: hand-over failed, the cron will send them:', redact((err as Error).message));
    if (ids.length) await unclaim(env.DB, ids).catch(() => {});
    return 0;
  }
}

/** The cron's sweep: events not routed a minute after they were written, deliveries stuck for hours. */
export async function sweep(env: QueueEnv, now: Date): Promise<{ events: number; deliveries: number }> {
  if (!env.EVENTS) return { events: 0, deliveries: 0 };
  const ids = await claimStale(env.DB, new Date(now.getTime() - SWEEP_AFTER_MS).toISOString());
  try {
    await sendIds(env, ids.map((eventId) => ({ eventId })));
  } catch (err) {
    await unclaim(env.DB, ids);
    throw err;
  }
  const stuck = await staleDeliveries(env.DB, new Date(now.getTime() - STALE_DELIVERY_MS).toISOString());
  await sendIds(env, stuck.map((d) => ({ eventId: d.event_id, destinationId: d.destination_id })));
  if (ids.length || stuck.length) console.log('[sanctuary-petition] events: swept', JSON.stringify({ events: ids.length, deliveries: stuck.length }));
  return { events: ids.length, deliveries: stuck.length };
}

/** Exponential backoff: base, 2×base, 4×base… seconds, at most an hour. */
export const backoffSeconds = (env: Pick<Env, 'DELIVERY_RETRY_BASE_SECONDS'>, attempts: number) => {
  const base = Math.max(1, Number(env.DELIVERY_RETRY_BASE_SECONDS) || 10);
  return Math.min(3600, base * 2 ** Math.max(0, attempts - 1));
};

/**
 * One event: route it (once), send what is due, record each outcome. True when nothing is left to send.
 * Exported for the tests, which drive it with a message of their own.
 */
export async function processEvent(env: QueueEnv, msg: EventMessage): Promise<boolean> {
  const db = env.DB;
  const event = await getEvent(db, msg.eventId);
  if (!event) return true; // its campaign or effort is gone: nothing to deliver
  if (!event.routed_at) await db.batch(routeEvent(db, event.id));
  const due = await dueDeliveries(db, event.id, msg.destinationId ?? null);
  let ok = true;
  const outcomes = await Promise.all(due.map(async (d) => ({ d, error: await deliver(env, event, d) })));
  const writes = outcomes.map(({ d, error }) => {
    if (error) ok = false;
    return error ? markFailing(db, event.id, d.destination_id, error) : markDelivered(db, event.id, d.destination_id);
  });
  if (writes.length) await db.batch(writes);
  return ok;
}

/** The queue consumer (both queues: the events and their dead letters). */
export async function consume(batch: MessageBatch<EventMessage>, env: QueueEnv): Promise<void> {
  const dead = batch.queue === DEAD_LETTER_QUEUE;
  for (const message of batch.messages) {
    try {
      if (dead) {
        await markDead(env.DB, message.body.eventId, message.body.destinationId ?? null);
        console.warn('[sanctuary-petition] events: retries used up, marked dead:', message.body.eventId);
        message.ack();
        continue;
      }
      if (await processEvent(env, message.body)) message.ack();
      else message.retry({ delaySeconds: backoffSeconds(env, message.attempts) });
    } catch (err) {
      console.error('[sanctuary-petition] events: consumer error:', redact((err as Error).message));
      message.retry({ delaySeconds: backoffSeconds(env, message.attempts) });
    }
  }
}
