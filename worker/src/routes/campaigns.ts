import { Hono } from 'hono';
import { z } from 'zod';
import { cachedData, keysFor, purgeAfterSign } from '../cache.ts';
import { getReachableCampaign, type CampaignWithEffortRow } from '../db/campaigns.ts';
import { getIdempotentResponse, recentSigners, recordSignature, type StoredResponse } from '../db/signatures.ts';
import { DEV_EMAIL_HASH_KEY, hmacHex, normaliseEmail, randomCode } from '../crypto.ts';
import type { AppEnv, Env } from '../env.ts';
import { ApiError, notFound } from '../errors.ts';
import { requireJson } from '../middleware/json.ts';
import { embeddingRules } from '../middleware/origin.ts';
import { enforceLimit } from '../middleware/rate-limit.ts';
import { validate } from '../middleware/validate.ts';
import { verifyTurnstile } from '../turnstile.ts';
import { presentCampaignSummary, presentSigner } from '../present.ts';
import { SignatureInput, SlugParams, type CampaignOut, type SignatureOut } from '../schemas.ts';

export const campaigns = new Hono<AppEnv>();

async function campaignOr404(db: D1Database, slug: string): Promise<CampaignWithEffortRow> {
  const campaign = await getReachableCampaign(db, slug);
  if (!campaign) throw notFound('That campaign');
  return campaign;
}

campaigns.get('/:slug', validate('param', SlugParams), async (c) => {
  const slug = c.req.valid('param').slug;
  // From the cache when it is there; a signature on this campaign purges it (see cache.ts).
  const { body, effortId } = await cachedData(c, keysFor(c).campaign(slug), async () => {
    const campaign = await campaignOr404(c.env.DB, slug);
    const signers = await recentSigners(c.env.DB, campaign.id);
    const out: CampaignOut = {
      ...presentCampaignSummary(campaign),
      body: campaign.body,
      effort: { slug: campaign.effort_slug, title: campaign.effort_title },
      recentSigners: signers.map(presentSigner),
    };
    return { body: out, effortId: campaign.effort_id };
  });
  // Outside the cached loader: who may embed the effort is checked on every request.
  await embeddingRules(c, effortId);
  return c.json({ data: body });
});

const IdempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,128}$/, 'Use 8 to 128 letters, digits, "-" or "_" (a UUID is ideal).')
    .optional(),
});

let warnedDevKey = false;
function emailHashKey(env: Env): string {
  if (env.EMAIL_HASH_KEY) return env.EMAIL_HASH_KEY;
  if (!warnedDevKey) {
    warnedDevKey = true;
    console.warn('[sanctuary-petition] EMAIL_HASH_KEY is not set: using the development key. Set it with `wrangler secret put EMAIL_HASH_KEY`.');
  }
  return DEV_EMAIL_HASH_KEY;
}

const CREATED = 201;
const DEFAULT_MIN_SUBMIT_MS = 3000;

/** MIN_SUBMIT_MS as a whole number of milliseconds (default 3000; "0" turns the check off). */
function minSubmitMs(env: Env): number {
  const ms = Number(env.MIN_SUBMIT_MS ?? DEFAULT_MIN_SUBMIT_MS);
  return Number.isInteger(ms) && ms >= 0 ? ms : DEFAULT_MIN_SUBMIT_MS;
}

campaigns.post(
  '/:slug/signatures',
  requireJson,
  validate('param', SlugParams),
  validate('header', IdempotencyHeaders),
  validate('json', SignatureInput),
  async (c) => {
    const { slug } = c.req.valid('param');
    const key = c.req.valid('header')['idempotency-key'];
    const { website, elapsedMs, turnstileToken, ...input } = c.req.valid('json');
    await enforceLimit(c.env, c.env.CAMPAIGN_LIMITER, `campaign:${slug}`, 'signatures on this campaign right now');
    // The request's identity under a key: the signature itself (a retry may carry a fresh Turnstile
    // token or timing). Keyed, so the stored hash reveals nothing about who signed.
    const requestHash = key ? await hmacHex(emailHashKey(c.env), JSON.stringify([slug, input])) : '';

    if (key) {
      const prior = await getIdempotentResponse(c.env.DB, key);
      if (prior) return replay(prior, requestHash, true);
    }
    const campaign = await campaignOr404(c.env.DB, slug);
    const { partnerAllowed } = await embeddingRules(c, campaign.effort_id, input.partner ?? null);
    const accepted = () =>
      c.json({ data: { campaign: campaign.slug, signatureCount: campaign.signature_count, goal: campaign.goal, referralCode: randomCode() } }, CREATED);

    // A bot: answered like everyone else, never stored or counted (it learns nothing to adapt to).
    if (website?.trim()) {
      console.log('[sanctuary-petition] signature dropped: honeypot field filled');
      return accepted();
    }
    if (elapsedMs !== undefined && elapsedMs < minSubmitMs(c.env)) {
      console.log('[sanctuary-petition] signature dropped: sent too fast');
      return accepted();
    }
    if (c.env.TURNSTILE_SECRET) {
      if (!turnstileToken) {
        throw new ApiError(400, 'validation_failed', 'Some fields need attention.', [
          { path: 'turnstileToken', message: 'Complete the check that you are not a robot.' },
        ]);
      }
      const check = await verifyTurnstile(c.env.TURNSTILE_SECRET, turnstileToken, c.req.header('cf-connecting-ip') ?? null);
      if (!check.ok && check.reason === 'unavailable') {
        throw new ApiError(503, 'challenge_unavailable', 'We could not check that you are not a robot. Please try again.');
      }
      if (!check.ok) throw new ApiError(403, 'challenge_failed', 'The check that you are not a robot failed. Please try again.');
    }

    const email = normaliseEmail(input.email);
    const referralCode = randomCode();
    // A partner is credited only from its own sites; the consent to hear from it goes with the credit.
    const partner = input.partner && partnerAllowed ? input.partner : null;
    const result = await recordSignature(
      c.env.DB,
      {
        campaignId: campaign.id,
        firstName: input.firstName,
        lastName: input.lastName,
        email,
        emailHash: await hmacHex(emailHashKey(c.env), email),
        zip: input.zip,
        phone: input.phone ?? null,
        partner,
        consentPartner: partner !== null && input.consentPartner,
        consentEffort: input.consentEffort,
        referralCode,
        referredBy: input.referral ?? null,
      },
      key ? { key, requestHash, status: CREATED } : null,
    );
    // The signer's next read (and everyone's in this data centre) shows the new count.
    if (result.created) await purgeAfterSign(c, campaign.slug, campaign.effort_slug);
    // Under a key, the stored answer: the one this request wrote, the one a racing twin wrote first,
    // or a 422 if a racing request took the key for another signature (then nothing was stored).
    // "Replayed" means only that: never "this email had signed" (a repeat is answered like a new one).
    if (result.stored) return replay(result.stored, requestHash, !result.claimedKey);
    // A repeat email gets exactly the answer a new signature gets: nobody can probe who signed.
    const data: SignatureOut = { campaign: campaign.slug, signatureCount: result.signatureCount, goal: result.goal, referralCode };
    return c.json({ data }, CREATED);
  },
);

/** The answer first given under an Idempotency-Key, or 422 if the key is reused for another request. */
function replay(prior: StoredResponse, requestHash: string, replayed: boolean): Response {
  if (prior.request_hash !== requestHash) {
    throw new ApiError(422, 'idempotency_mismatch', 'This Idempotency-Key was already used for a different request.');
  }
  return new Response(prior.response, {
    status: prior.status,
    headers: { 'content-type': 'application/json', ...(replayed ? { 'idempotent-replayed': 'true' } : {}) },
  });
}
