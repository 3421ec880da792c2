/**
 * The retention job, run by the Workers cron trigger (wrangler.toml `[triggers] crons`).
 * RETENTION_DAYS (a var; 0 or unset = keep everything) is how long a signature keeps its full
 * personal data; older ones are anonymised in batches. Idempotency keys are kept IDEMPOTENCY_KEY_DAYS.
 */
import { anonymiseSignaturesBefore, deleteIdempotencyKeysBefore, forgetCreatorEmailsBefore } from './db/retention.ts';
import { deleteOldConfirmationRows } from './db/confirmations.ts';
import type { Env } from './env.ts';

export const IDEMPOTENCY_KEY_DAYS = 30;
const DAY_MS = 86_400_000;

export interface RetentionReport {
  retentionDays: number;
  signaturesAnonymised: number;
  creatorEmailsRemoved: number;
  idempotencyKeysDeleted: number;
  /** Expired confirmation tokens and confirmation emails sent more than 30 days ago. */
  confirmationRowsDeleted: number;
  /** True when the run stopped at maxBatches with work left (the next run continues). */
  more: boolean;
}

/** RETENTION_DAYS as a whole number of days; anything else (unset, "", "abc", negative) is 0 = keep. */
export function retentionDays(env: Pick<Env, 'RETENTION_DAYS'>): number {
  const days = Number(env.RETENTION_DAYS ?? 0);
  return Number.isInteger(days) && days > 0 ? days : 0;
}

export async function runRetention(
  env: Pick<Env, 'DB' | 'RETENTION_DAYS'>,
  now: Date,
  { batchSize = 500, maxBatches = 40 }: { batchSize?: number; maxBatches?: number } = {},
): Promise<RetentionReport> {
  const days = retentionDays(env);
  const report: RetentionReport = {
    retentionDays: days,
    signaturesAnonymised: 0,
    creatorEmailsRemoved: 0,
    idempotencyKeysDeleted: 0,
    confirmationRowsDeleted: 0,
    more: false,
  };
  // Each kind of work in batches of batchSize rows, at most maxBatches per run.
  const drain = async (step: () => Promise<number>) => {
    let total = 0;
    for (let i = 0; i < maxBatches; i++) {
      const n = await step();
      total += n;
      if (n < batchSize) return total;
    }
    report.more = true;
    return total;
  };
  const keysBefore = new Date(now.getTime() - IDEMPOTENCY_KEY_DAYS * DAY_MS).toISOString();
  report.idempotencyKeysDeleted = await drain(() => deleteIdempotencyKeysBefore(env.DB, keysBefore, batchSize));
  report.confirmationRowsDeleted = await deleteOldConfirmationRows(env.DB, now.toISOString(), keysBefore);
  if (days > 0) {
    const before = new Date(now.getTime() - days * DAY_MS).toISOString();
    report.creatorEmailsRemoved = await forgetCreatorEmailsBefore(env.DB, before);
    report.signaturesAnonymised = await drain(() => anonymiseSignaturesBefore(env.DB, before, batchSize));
  }
  // Counts only: no personal data in the log line.
  console.log('[sanctuary-petition] retention:', JSON.stringify(report));
  return report;
}
