/**
 * Supporters start local campaigns: POST /v1/efforts/:slug/campaigns, and the prefilled draft
 * (GET /v1/efforts/:slug/campaigns/draft) a form shows before the supporter edits it.
 */
import { Hono, type Context } from 'hono';
import { publicName } from '../campaign-text.ts';
import { claimKey, getIdempotentResponse, releaseKey, storeResponse } from '../db/idempotency.ts';
import { getEffortTemplates, isRegisteredSite, supporterCampaignsLastHour, type EffortTemplateRow } from '../db/new-campaigns.ts';
import { normaliseOrigin } from '../db/origins.ts';
import type { AppEnv } from '../env.ts';
import { ApiError, notFound } from '../errors.ts';
import { deliverOwedEmails } from '../confirmation/mailer.ts';
import { oweCampaignEmail } from '../db/confirmations.ts';
import { IdempotencyHeaders, acceptLanguage, awaitReplay, humanCheck, replay, requestHashOf } from '../form-guard.ts';
import { requireJson } from '../middleware/json.ts';
import { embeddingRules } from '../middleware/origin.ts';
import { validate } from '../middleware/validate.ts';
import { createCampaign, draftCampaign, draftWithEdits, statusForSupporters, type CampaignDraft } from '../new-campaign.ts';
import { presentCampaignSummary } from '../present.ts';
import {
  CampaignDraftQuery,
  NewCampaignInput,
  SlugParams,
  type CampaignDraftOut,
  type CampaignStatus,
  type NewCampaignOut,
} from '../schemas.ts';

export const effortCampaigns = new Hono<AppEnv>();

async function effortOr404(db: D1Database, slug: string): Promise<EffortTemplateRow> {
  const effort = await getEffortTemplates(db, slug);
  if (!effort) throw notFound('That effort');
  return effort;
}

/**
 * Whether the start page may lead back to `site`: this Worker's own origin, or a site registered for the
 * effort or for the partner. Anything else (a look-alike site, a phishing page named in a crafted link)
 * is refused, and the start page leads back nowhere but home.
 */
async function siteAllowed(c: Context<AppEnv>, effortId: number, site: string, partner: string | undefined): Promise<boolean> {
  const origin = normaliseOrigin(site);
  if (!origin) return false;
  if (origin === new URL(c.req.url).origin.toLowerCase()) return true;
  return isRegisteredSite(c.env.DB, effortId, origin, partner ?? null);
}

effortCampaigns.get('/:slug/campaigns/draft', validate('param', SlugParams), validate('query', CampaignDraftQuery), async (c) => {
  const effort = await effortOr404(c.env.DB, c.req.valid('param').slug);
  const query = c.req.valid('query');
  const [d, allowed] = await Promise.all([
    draftCampaign(c.env.DB, effort, query),
    query.site === undefined ? undefined : siteAllowed(c, effort.id, query.site, query.partner),
  ]);
  const body: CampaignDraftOut = {
    town: d.town,
    state: d.state,
    target: { id: d.targetId, name: d.targetName, title: d.targetTitle },
    title: d.title,
    body: d.body,
    goal: d.goal,
    status: statusForSupporters(effort),
    ...(allowed === undefined ? {} : { siteAllowed: allowed }),
  };
  return c.json({ data: body });
});

/** The public answer for a new campaign (the same for one held for a suspect signal). */
function presentNew(effort: EffortTemplateRow, draft: CampaignDraft, slug: string, status: CampaignStatus, creator: { firstName: string; lastName: string }): NewCampaignOut {
  const summary = presentCampaignSummary({
    id: 0,
    slug,
    town: draft.town,
    state: draft.state,
    lat: draft.lat,
    lon: draft.lon,
    target_name: draft.targetName,
    target_title: draft.targetTitle,
    title: draft.title,
    goal: draft.goal,
    creator_name: null,
    signature_count: 0,
    confirmed_count: 0,
  });
  return {
    ...summary,
    creatorName: publicName(creator.firstName, creator.lastName),
    body: draft.body,
    effort: { slug: effort.slug, title: effort.title },
    recentSigners: [],
    status,
  };
}

const CREATED = 201;

/**
 * A supporter starts a local campaign. Under an Idempotency-Key (the widget always sends one) a
 * double submit or a retry creates ONE campaign: the key is claimed before the row, a replay gets
 * the first answer, a racing twin waits for it, the same key with another body is a 422. The same
 * abuse signals as signing (honeypot, minimum time, Turnstile) and the effort's site allow-list apply.
 */
effortCampaigns.post(
  '/:slug/campaigns',
  requireJson,
  validate('param', SlugParams),
  validate('header', IdempotencyHeaders),
  validate('json', NewCampaignInput),
  async (c) => {
    const db = c.env.DB;
    const effort = await effortOr404(db, c.req.valid('param').slug);
    await embeddingRules(c, effort.id);
    const key = c.req.valid('header')['idempotency-key'];
    const { website, elapsedMs, turnstileToken, lang: givenLang, ...input } = c.req.valid('json');
    const lang = givenLang ?? acceptLanguage(c.req.header('accept-language'));
    const requestHash = key ? await requestHashOf(c.env, ['new-campaign', effort.slug, input]) : '';
    if (key) {
      const prior = await getIdempotentResponse(db, key);
      if (prior) return prior.response === '' && prior.request_hash === requestHash ? awaitReplay(db, key, requestHash) : replay(prior, requestHash, true);
    }

    const draft = await draftWithEdits(db, effort, input);
    const status = statusForSupporters(effort);

    // A suspect signal never discards a possible person: the campaign is stored 'pending' (unreachable)
    // until its creator confirms by email, and answered exactly like every other new campaign.
    const heldReason = await humanCheck(c, { website, elapsedMs, turnstileToken }, 'new campaign');
    // Per effort, whoever sends them: a flood of campaigns stops at the effort's hourly limit.
    if ((await supporterCampaignsLastHour(db, effort.id)) >= effort.new_campaigns_per_hour) {
      throw new ApiError(429, 'rate_limited', 'Many campaigns were started in this effort in the last hour. Please try again later.', undefined, {
        'retry-after': '600',
      });
    }
    if (key && !(await claimKey(db, key, requestHash, CREATED))) return awaitReplay(db, key, requestHash);

    let slug: string;
    try {
      slug = await createCampaign(db, effort.id, { draft, status, creator: input.creator, heldReason, creatorLang: lang });
    } catch (e) {
      if (key) await releaseKey(db, key, requestHash);
      throw e;
    }
    const out = presentNew(effort, draft, slug, status, input.creator);
    if (key) await storeResponse(db, key, requestHash, JSON.stringify({ data: out }));
    // The creator's confirmation email: owed in the database, sent after the answer, retried by the cron.
    const owed = await oweCampaignEmail(db, slug, lang, new URL(c.req.url).origin);
    if (owed) c.executionCtx.waitUntil(deliverOwedEmails(c.env, [owed.id]));
    return c.json({ data: out }, CREATED, { location: `/v1/campaigns/${slug}` });
  },
);
