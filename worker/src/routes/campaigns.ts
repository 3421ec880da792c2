import { Hono } from 'hono';
import { z } from 'zod';
import { cachedData, keysFor, purgeAfterSign } from '../cache.ts';
import { getReachableCampaign, type CampaignWithEffortRow } from '../db/campaigns.ts';
import { getIdempotentResponse, recentSigners, recordSignature, type StoredResponse } from '../db/signatures.ts';
import { DEV_EMAIL_HASH_KEY, hmacHex, normaliseEmail, sha256Hex } from '../crypto.ts';
import type { AppEnv, Env } from '../env.ts';
import { ApiError, notFound } from '../errors.ts';
import { requireJson } from '../middleware/json.ts';
import { validate } from '../middleware/validate.ts';
import { presentCampaignSummary, presentSigner } from '../present.ts';
import { SignatureInput, SlugParams, type CampaignOut } from '../schemas.ts';

export const campaigns = new Hono<AppEnv>();

async function campaignOr404(db: D1Database, slug: string): Promise<CampaignWithEffortRow> {
  const campaign = await getReachableCampaign(db, slug);
  if (!campaign) throw notFound('That campaign');
  return campaign;
}

campaigns.get('/:slug', validate('param', SlugParams), async (c) => {
  const slug = c.req.valid('param').slug;
  // From the cache when it is there; a signature on this campaign purges it (see cache.ts).
  const body = await cachedData(c, keysFor(c).campaign(slug), async (): Promise<CampaignOut> => {
    const campaign = await campaignOr404(c.env.DB, slug);
    const signers = await recentSigners(c.env.DB, campaign.id);
    return {
      ...presentCampaignSummary(campaign),
      body: campaign.body,
      effort: { slug: campaign.effort_slug, title: campaign.effort_title },
      recentSigners: signers.map(presentSigner),
    };
  });
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

campaigns.post(
  '/:slug/signatures',
  requireJson,
  validate('param', SlugParams),
  validate('header', IdempotencyHeaders),
  validate('json', SignatureInput),
  async (c) => {
    const { slug } = c.req.valid('param');
    const key = c.req.valid('header')['idempotency-key'];
    const input = c.req.valid('json');
    const requestHash = key ? await sha256Hex(JSON.stringify([slug, input])) : '';

    if (key) {
      const prior = await getIdempotentResponse(c.env.DB, key);
      if (prior) return replay(prior, requestHash, true);
    }
    const campaign = await campaignOr404(c.env.DB, slug);
    const email = normaliseEmail(input.email);
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
        partner: input.partner ?? null,
        consentPartner: input.consentPartner,
        consentEffort: input.consentEffort,
      },
      key ? { key, requestHash, status: CREATED } : null,
    );
    // The signer's next read (and everyone's in this data centre) shows the new count.
    if (result.created) await purgeAfterSign(c, campaign.slug, campaign.effort_slug);
    // Under a key, the stored answer: the one this request wrote, or the one a racing twin wrote first.
    if (result.stored) return replay(result.stored, requestHash, !result.created);
    // A repeat email gets exactly the answer a new signature gets: nobody can probe who signed.
    return c.json({ data: { campaign: campaign.slug, signatureCount: result.signatureCount, goal: result.goal } }, CREATED);
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
