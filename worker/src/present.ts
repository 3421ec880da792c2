/** Rows → public JSON. The only place that decides what of a row is public. */
import type { CampaignSummaryRow } from './db/campaigns.ts';
import type { EffortRow } from './db/efforts.ts';
import type { PublicSignerRow } from './db/signatures.ts';
import { roundKm } from './geo.ts';
import type { CampaignSummaryOut, EffortOut, PublicSignerOut } from './schemas.ts';

export const presentEffort = (e: EffortRow): EffortOut => ({
  slug: e.slug,
  title: e.title,
  body: e.body,
  goal: e.goal,
  signatureCount: e.signature_count,
  confirmedCount: e.confirmed_count,
  campaignCount: e.campaign_count,
});

export const presentCampaignSummary = (c: CampaignSummaryRow, distance?: number): CampaignSummaryOut => ({
  slug: c.slug,
  town: c.town,
  state: c.state,
  title: c.title,
  target: { name: c.target_name, title: c.target_title },
  goal: c.goal,
  signatureCount: c.signature_count,
  confirmedCount: c.confirmed_count,
  creatorName: c.creator_name,
  lat: c.lat,
  lon: c.lon,
  ...(distance === undefined ? {} : { distanceKm: roundKm(distance) }),
});

export const presentSigner = (s: PublicSignerRow): PublicSignerOut => ({
  name: s.last_initial ? `${s.first_name} ${s.last_initial.toLocaleUpperCase()}.` : s.first_name,
  signedAt: s.created_at,
});
