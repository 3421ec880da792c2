/**
 * Supporters start local campaigns: POST /v1/efforts/:slug/campaigns, and the prefilled draft
 * (GET /v1/efforts/:slug/campaigns/draft) a form shows before the supporter edits it.
 */
import { Hono } from 'hono';
import { publicName } from '../campaign-text.ts';
import { getEffortTemplates, type EffortTemplateRow } from '../db/new-campaigns.ts';
import type { AppEnv } from '../env.ts';
import { notFound } from '../errors.ts';
import { requireJson } from '../middleware/json.ts';
import { validate } from '../middleware/validate.ts';
import { createCampaign, draftCampaign, statusForSupporters } from '../new-campaign.ts';
import { presentCampaignSummary } from '../present.ts';
import { CampaignDraftQuery, NewCampaignInput, SlugParams, type CampaignDraftOut, type NewCampaignOut } from '../schemas.ts';

export const effortCampaigns = new Hono<AppEnv>();

async function effortOr404(db: D1Database, slug: string): Promise<EffortTemplateRow> {
  const effort = await getEffortTemplates(db, slug);
  if (!effort) throw notFound('That effort');
  return effort;
}

effortCampaigns.get('/:slug/campaigns/draft', validate('param', SlugParams), validate('query', CampaignDraftQuery), async (c) => {
  const effort = await effortOr404(c.env.DB, c.req.valid('param').slug);
  const d = await draftCampaign(c.env.DB, effort, c.req.valid('query'));
  const body: CampaignDraftOut = {
    town: d.town,
    state: d.state,
    target: { id: d.targetId, name: d.targetName, title: d.targetTitle },
    title: d.title,
    body: d.body,
    goal: d.goal,
    status: statusForSupporters(effort),
  };
  return c.json({ data: body });
});

effortCampaigns.post('/:slug/campaigns', requireJson, validate('param', SlugParams), validate('json', NewCampaignInput), async (c) => {
  const effort = await effortOr404(c.env.DB, c.req.valid('param').slug);
  const input = c.req.valid('json');
  const draft = await draftCampaign(c.env.DB, effort, input);
  // The supporter's edits replace the prefilled copy.
  if (input.title !== undefined) draft.title = input.title;
  if (input.body !== undefined) draft.body = input.body;
  if (input.goal !== undefined) draft.goal = input.goal;
  const status = statusForSupporters(effort);
  const slug = await createCampaign(c.env.DB, effort.id, { draft, status, creator: input.creator });
  const summary = presentCampaignSummary({
    id: 0,
    effort_id: effort.id,
    slug,
    town: draft.town,
    state: draft.state,
    lat: draft.lat,
    lon: draft.lon,
    target_name: draft.targetName,
    target_title: draft.targetTitle,
    title: draft.title,
    body: draft.body,
    goal: draft.goal,
    creator_name: null,
    status,
    signature_count: 0,
  });
  const out: NewCampaignOut = {
    ...summary,
    creatorName: publicName(input.creator.firstName, input.creator.lastName),
    body: draft.body,
    effort: { slug: effort.slug, title: effort.title },
    recentSigners: [],
    status,
  };
  return c.json({ data: out }, 201, { location: `/v1/campaigns/${slug}` });
});
