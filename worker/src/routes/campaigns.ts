import { Hono } from 'hono';
import { cachedData, keysFor, purgeAfterSign } from '../cache.ts';
import { getReachableCampaign, type CampaignWithEffortRow } from '../db/campaigns.ts';
import { lastPublicDelivery } from '../db/delivery.ts';
import { getIdempotentResponse } from '../db/idempotency.ts';
import { recentSigners, recordSignature } from '../db/signatures.ts';
import { deliverOwedEmails } from '../confirmation/mailer.ts';
import { hmacHex, normaliseEmail, randomCode } from '../crypto.ts';
import type { AppEnv } from '../env.ts';
import { notFound } from '../errors.ts';
import { IdempotencyHeaders, acceptLanguage, emailHashKey, humanCheck, replay, requestHashOf } from '../form-guard.ts';
import { requireJson } from '../middleware/json.ts';
import { embeddingRules, forbiddenOrigin, requestOrigin } from '../middleware/origin.ts';
import { enforceLimit } from '../middleware/rate-limit.ts';
import { validate } from '../middleware/validate.ts';
import { PartnerQuery, partnerCredit } from '../partner-credit.ts';
import { presentCampaignSummary, presentSigner } from '../present.ts';
import { SignatureInput, SlugParams, type CampaignOut, type SignatureOut } from '../schemas.ts';

export const campaigns = new Hono<AppEnv>();

async function campaignOr404(db: D1Database, slug: string): Promise<CampaignWithEffortRow> {
  const campaign = await getReachableCampaign(db, slug);
  if (!campaign) throw notFound('That campaign');
  return campaign;
}

campaigns.get('/:slug', validate('param', SlugParams), validate('query', PartnerQuery), async (c) => {
  const slug = c.req.valid('param').slug;
  // From the cache when it is there; a signature on this campaign purges it (see cache.ts).
  const { body, effortId } = await cachedData(c, keysFor(c).campaign(slug), async () => {
    const campaign = await campaignOr404(c.env.DB, slug);
    const [signers, delivered] = await Promise.all([recentSigners(c.env.DB, campaign.id), lastPublicDelivery(c.env.DB, campaign.id)]);
    const out: CampaignOut = {
      ...presentCampaignSummary(campaign),
      body: campaign.body,
      effort: { slug: campaign.effort_slug, title: campaign.effort_title },
      recentSigners: signers.map(presentSigner),
      delivered: delivered && { official: delivered.official, deliveredAt: delivered.delivered_at },
      status: campaign.status,
    };
    return { body: out, effortId: campaign.effort_id };
  });
  // Outside the cached loader: who may embed the effort is checked on every request.
  await embeddingRules(c, effortId);
  const { partner } = c.req.valid('query');
  return c.json({ data: partner ? { ...body, partner: await partnerCredit(c, effortId, partner) } : body });
});

const CREATED = 201;

/** What the sign path needs of a campaign that never changes: read once per isolate, not per signature. */
interface SignTarget {
  id: number;
  slug: string;
  effortSlug: string;
}
const signTargets = new Map<string, SignTarget>();
const MAX_SIGN_TARGETS = 10_000;

/**
 * The campaign's id and effort, from this isolate's memory after the first signature. Only facts that
 * never change are kept: whether the campaign is reachable (it may be suppressed any moment) and whether
 * the effort allows the request's site are checked in the signature's own batch, every time.
 */
async function signTarget(db: D1Database, slug: string): Promise<SignTarget> {
  const known = signTargets.get(slug);
  if (known) return known;
  const row = await getReachableCampaign(db, slug);
  if (!row) throw notFound('That campaign');
  const target = { id: row.id, slug: row.slug, effortSlug: row.effort_slug };
  if (signTargets.size >= MAX_SIGN_TARGETS) signTargets.clear();
  signTargets.set(slug, target);
  return target;
}

/**
 * Sign. The common path is ONE D1 round trip (the batch in db/signatures.ts) after the first signature
 * of a campaign in an isolate: the reachability of the campaign, the effort's site allow-list, the
 * partner's sites and the Idempotency-Key are all checked inside that batch.
 */
campaigns.post(
  '/:slug/signatures',
  requireJson,
  validate('param', SlugParams),
  validate('header', IdempotencyHeaders),
  validate('json', SignatureInput),
  async (c) => {
    const db = c.env.DB;
    const { slug } = c.req.valid('param');
    const key = c.req.valid('header')['idempotency-key'];
    const { website, elapsedMs, turnstileToken, ...input } = c.req.valid('json');
    await enforceLimit(c.env, c.env.CAMPAIGN_LIMITER, `campaign:${slug}`, 'signatures on this campaign right now');
    // The request's identity under a key: the signature itself (a retry may carry a fresh Turnstile
    // token or timing). Keyed, so the stored hash reveals nothing about who signed.
    const requestHash = key ? await requestHashOf(c.env, [slug, input]) : '';
    // A Turnstile token is good once: a retry under its key is answered before the check would refuse it.
    if (key && c.env.TURNSTILE_SECRET) {
      const prior = await getIdempotentResponse(db, key);
      if (prior?.response) return replay(prior, requestHash, true);
    }
    const campaign = await signTarget(db, slug);

    // A suspect signal (honeypot, too fast) never discards anyone: the signature is stored, marked with
    // why, held out of the counts until confirmed, and answered exactly like every other one.
    const heldReason = await humanCheck(c, { website, elapsedMs, turnstileToken }, 'signature');

    const email = normaliseEmail(input.email);
    const referralCode = randomCode();
    const result = await recordSignature(
      db,
      {
        campaignId: campaign.id,
        firstName: input.firstName,
        lastName: input.lastName,
        email,
        emailHash: await hmacHex(emailHashKey(c.env), email),
        zip: input.zip,
        phone: input.phone ?? null,
        // Credited (with the consent to hear from it) only from the partner's own sites: checked in the batch.
        partner: input.partner ?? null,
        consentPartner: input.consentPartner,
        consentEffort: input.consentEffort,
        referralCode,
        referredBy: input.referral ?? null,
        heldReason,
        lang: input.lang ?? acceptLanguage(c.req.header('accept-language')),
        baseUrl: new URL(c.req.url).origin,
      },
      key ? { key, requestHash, status: CREATED } : null,
      requestOrigin(c),
    );
    // Under a key, the stored answer: the one this request wrote, the one a racing twin wrote first,
    // or a 422 if a racing request took the key for another signature (then nothing was stored).
    // "Replayed" means only that: never "this email had signed" (a repeat is answered like a new one).
    // Reads in this data centre show the new count within about a second: purged after this answer.
    if (result.created) purgeAfterSign(c, campaign.slug, campaign.effortSlug);
    // The confirmation email owed by this request goes out after the answer (the same answer, and about
    // the same time, whether one is owed or not); a failed send stays owed and the cron retries it.
    if (result.owedEmails.length) c.executionCtx.waitUntil(deliverOwedEmails(c.env, result.owedEmails));
    if (result.stored?.response) return replay(result.stored, requestHash, !result.claimedKey);
    if (!result.reachable) {
      signTargets.delete(slug);
      throw notFound('That campaign');
    }
    if (!result.allowed) throw forbiddenOrigin();
    // A repeat email or a held signature gets exactly the answer a new signature gets (count included:
    // see ANSWER_COUNT in db/signatures.ts): nobody can probe who signed.
    const data: SignatureOut = { campaign: campaign.slug, signatureCount: result.signatureCount, goal: result.goal, referralCode };
    return c.json({ data }, CREATED);
  },
);
