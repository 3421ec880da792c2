/**
 * Starting a local campaign, shared by the supporters' route and the organizers' one: resolves
 * the target and the place, fills the effort's templates, picks a free slug and inserts the row.
 */
import { fillTemplate, plainLine, plainText, publicName, slugify } from './campaign-text.ts';
import { resolvePlace } from './resolve-place.ts';
import { getTarget, insertCampaign, takenSlugs, type EffortTemplateRow } from './db/new-campaigns.ts';
import { ApiError } from './errors.ts';
import type { CampaignStatus } from './schemas.ts';

export interface CampaignWhere {
  targetId?: number;
  target?: { name: string; title: string };
  place?: string;
}

export interface CampaignDraft {
  targetId: number | null;
  targetName: string;
  targetTitle: string;
  town: string;
  state: string;
  lat: number;
  lon: number;
  title: string;
  body: string;
  goal: number;
}

const invalid = (path: string, message: string) =>
  new ApiError(400, 'validation_failed', 'Some fields need attention.', [{ path, message }]);

/** A ZIP code, "City, ST" or a city name → the town and its point (the most populous for a bare name), or null. */
async function resolveTown(db: D1Database, q: string) {
  const [place] = await resolvePlace(db, q);
  return place?.city && place.state ? { city: place.city, state: place.state, lat: place.lat, lon: place.lon } : null;
}

/** The new campaign's target, place, title and text before the supporter edits them. */
export async function draftCampaign(db: D1Database, effort: EffortTemplateRow, where: CampaignWhere): Promise<CampaignDraft> {
  let targetId: number | null = null;
  let target = where.target ?? null;
  let town: { city: string; state: string; lat: number; lon: number } | null = null;
  if (where.targetId !== undefined) {
    const t = await getTarget(db, effort.id, where.targetId);
    if (!t) throw invalid('targetId', 'This effort has no such target.');
    targetId = t.id;
    target = { name: t.name, title: t.title };
    town = { city: t.jurisdiction, state: t.state, lat: t.lat, lon: t.lon };
  }
  if (where.place !== undefined) {
    town = await resolveTown(db, where.place);
    if (!town) throw invalid('place', `We could not find "${where.place}". Try a 5-digit ZIP code or "City, ST".`);
  }
  if (!target || !town) throw invalid('targetId', 'Pick one of the effort’s targets or name a new one with its town.');
  const vars = { targetName: target.name, targetTitle: target.title, town: town.city, state: town.state };
  return {
    targetId,
    targetName: target.name,
    targetTitle: target.title,
    town: town.city,
    state: town.state,
    lat: town.lat,
    lon: town.lon,
    title: plainLine(fillTemplate(effort.title_template, vars)).slice(0, 200),
    body: plainText(fillTemplate(effort.body_template || effort.body, vars)).slice(0, 5000),
    goal: effort.default_goal,
  };
}

/** The draft with the creator's own title, text and goal where given (they replace the prefilled copy). */
export async function draftWithEdits(
  db: D1Database,
  effort: EffortTemplateRow,
  input: CampaignWhere & { title?: string; body?: string; goal?: number },
): Promise<CampaignDraft> {
  const draft = await draftCampaign(db, effort, input);
  if (input.title !== undefined) draft.title = input.title;
  if (input.body !== undefined) draft.body = input.body;
  if (input.goal !== undefined) draft.goal = input.goal;
  return draft;
}

/** What a supporter's new campaign becomes under the effort's moderation mode. */
export const statusForSupporters = (effort: Pick<EffortTemplateRow, 'moderation'>): CampaignStatus =>
  effort.moderation === 'pre' ? 'pending' : 'unlisted';

/** Four random [a-z0-9] characters: the last resort of a free slug ("skokie-il-4k2x"). */
export const slugSuffix = () => {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return [...bytes].map((b) => (b % 36).toString(36)).join('');
};

export interface CreateCampaign {
  draft: CampaignDraft;
  status: CampaignStatus;
  creator: { firstName: string; lastName: string; email: string } | null;
  slug?: string;
  /** A suspect signal of a supporter's form: the campaign is stored 'pending' until its creator confirms. */
  heldReason?: string | null;
  /** The creator's language (their confirmation email's). */
  creatorLang?: string | null;
}

/**
 * Inserts the campaign and returns its slug. An organizer's campaign takes its town ("skokie"), or the
 * town and state ("skokie-il") when taken, or those and a short random suffix ("skokie-il-4k2x"); an
 * organizer's explicit slug is used as is, or refused when taken. A supporter's campaign always gets
 * the suffix: the bare town names are reserved for organizers, so nobody can squat the slug a
 * partner's `campaign="chicago"` embed is waiting for.
 */
export async function createCampaign(db: D1Database, effortId: number, c: CreateCampaign): Promise<string> {
  const row = {
    effortId,
    targetId: c.draft.targetId,
    town: c.draft.town,
    state: c.draft.state,
    lat: c.draft.lat,
    lon: c.draft.lon,
    targetName: c.draft.targetName,
    targetTitle: c.draft.targetTitle,
    title: c.draft.title,
    body: c.draft.body,
    goal: c.draft.goal,
    creatorName: c.creator ? publicName(c.creator.firstName, c.creator.lastName) : null,
    creatorEmail: c.creator?.email.trim().toLowerCase() ?? null,
    status: c.heldReason ? 'pending' : c.status,
    heldReason: c.heldReason ?? null,
    creatorLang: c.creatorLang ?? null,
  };
  if (c.slug) {
    if ((await insertCampaign(db, { ...row, slug: c.slug })) === null) throw invalid('slug', 'This slug is already taken.');
    return c.slug;
  }
  const base = slugify(c.draft.town, 50);
  const withState = `${base}-${c.draft.state.toLowerCase()}`;
  const taken = c.creator ? new Set<string>() : await takenSlugs(db, [base, withState]);
  const candidates = c.creator ? [] : [base, withState].filter((s) => !taken.has(s));
  for (let i = 0; i < 8; i++) {
    const slug = candidates[i] ?? `${withState}-${slugSuffix()}`;
    if ((await insertCampaign(db, { ...row, slug })) !== null) return slug;
  }
  throw new ApiError(500, 'internal_error', 'Could not find a free link for this campaign. Please try again.');
}
