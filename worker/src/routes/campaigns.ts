import { Hono } from 'hono';
import { cachedData, keysFor, purgeAfterSign } from '../cache.ts';
import { getReachableCampaign, type CampaignWithEffortRow } from '../db/campaigns.ts';
import { getIdempotentResponse } from '../db/idempotency.ts';
import { recentSigners, recordSignature } from '../db/signatures.ts';
import { hmacHex, normaliseEmail, randomCode } from '../crypto.ts';
import type { AppEnv } from '../env.ts';
import { notFound } from '../errors.ts';
import { IdempotencyHeaders, emailHashKey, humanCheck, replay, requestHashOf } from '../form-guard.ts';
import { requireJson } from '../middleware/json.ts';
import { embeddingRules } from '../middleware/origin.ts';
import { enforceLimit } from '../middleware/rate-limit.ts';
import { validate } from '../middleware/validate.ts';
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
    const { website, elapsedMs, turnstileToken, ...input } = c.req.valid('json');
    await enforceLimit(c.env, c.env.CAMPAIGN_LIMITER, `campaign:${slug}`, 'signatures on this campaign right now');
    // The request's identity under a key: the signature itself (a retry may carry a fresh Turnstile
    // token or timing). Keyed, so the stored hash reveals nothing about who signed.
    const requestHash = key ? await requestHashOf(c.env, [slug, input]) : '';

    if (key) {
      const prior = await getIdempotentResponse(c.env.DB, key);
      if (prior) return replay(prior, requestHash, true);
    }
    const campaign = await campaignOr404(c.env.DB, slug);
    const { partnerAllowed } = await embeddingRules(c, campaign.effort_id, input.partner ?? null);
    const accepted = () =>
      c.json({ data: { campaign: campaign.slug, signatureCount: campaign.signature_count, goal: campaign.goal, referralCode: randomCode() } }, CREATED);

    // A bot: answered like everyone else, never stored or counted (it learns nothing to adapt to).
    if ((await humanCheck(c, { website, elapsedMs, turnstileToken }, 'signature')) === 'bot') return accepted();

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
