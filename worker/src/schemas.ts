/**
 * The one source of truth for the shapes of the public HTTP API.
 * The Worker validates with these schemas; the widget imports the inferred types with
 * `import type` (so zod itself never reaches the browser bundle).
 */
import { z } from 'zod';
import { parsePlaceQuery } from './place-names.ts';
import { plainLine, plainText } from './campaign-text.ts';
import {
  EMAIL,
  EMAIL_MAX,
  NAME_CHARACTERS,
  NAME_FORMULA,
  NAME_LINK,
  NAME_MAX,
  NAME_NUMBER,
  PARTNER,
  PARTNER_MAX,
  PHONE,
  PHONE_MAX,
  REFERRAL,
  SLUG,
  SLUG_MAX,
  WEB_ADDRESS,
  ZIP,
} from '../../common/rules.ts';

/** URL slugs: lower-case letters, digits and single hyphens ("santa-maria"). */
export const Slug = z
  .string()
  .min(1)
  .max(SLUG_MAX)
  .regex(SLUG, 'Use lower-case letters, digits and hyphens.');

export const SlugParams = z.object({ slug: Slug });

/** A partner attribution code, as in `<sanctuary-petition partner="chicago-rising">`. */
export const PartnerCode = z
  .string()
  .max(PARTNER_MAX)
  .regex(PARTNER, 'Use letters, digits, "-" and "_".');

/** A share link's referral code (`sp_ref`): random, as given to a signer in `SignatureOut.referralCode`. */
export const ReferralCode = z
  .string()
  .regex(REFERRAL, 'Use the referral code from a share link (6 to 32 letters, digits, "-" or "_").');

/** A string field whose absence or wrong type reads as a plain request to fill it in. */
const text = (missing: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? missing : 'Must be text.') });

/** Names: printable text, no markup-looking or spreadsheet-formula prefixes, no links (rules: common/rules.ts). */
const personName = (what: string) =>
  text(`Enter your ${what}.`)
    .trim()
    .min(1, `Enter your ${what}.`)
    .max(NAME_MAX, `Your ${what} is too long (${NAME_MAX} characters at most).`)
    .refine((s) => !NAME_FORMULA.test(s), `Your ${what} cannot start with = + - or @.`)
    // The first name is shown publicly: an email or a phone number typed into it must not be.
    .refine((s) => !s.includes('@'), `Your ${what} cannot contain @ (put your email in the email field).`)
    .refine((s) => !NAME_NUMBER.test(s), `Your ${what} cannot contain a number.`)
    .refine((s) => !NAME_LINK.test(s), `Your ${what} cannot contain links or < >.`)
    // A bare domain is a link too ("cheap-pills.shop").
    .refine((s) => !WEB_ADDRESS.test(s), `Your ${what} cannot contain links or < >.`)
    // No control characters (line breaks, NUL, bidi overrides), no unpaired surrogates in a name.
    .refine((s) => !NAME_CHARACTERS.test(s), `Your ${what} contains characters we cannot accept.`);

/** US ZIP code: 5 digits, optionally ZIP+4. */
export const Zip = text('Enter your ZIP code.')
  .trim()
  .regex(ZIP, 'Enter a 5-digit ZIP code.');

/** The languages of the widget, the emails and the confirmation pages. */
export const Lang = z.enum(['en', 'es'], 'Use "en" or "es".');

/**
 * Abuse signals of the public forms, all optional so older clients and API callers keep working.
 * Spread into a form's schema; checked by form-guard.ts humanCheck (see docs/reliability.md).
 */
export const humanSignalFields = {
  /** Honeypot: a field people never see. Any non-empty value: stored, held out of the counts until confirmed. */
  website: z.string('Must be text.').max(1000).optional(),
  /** Milliseconds between the form being shown and sent. Below MIN_SUBMIT_MS: stored, held until confirmed. */
  elapsedMs: z.number('Must be a number.').int('Must be a whole number.').min(0, 'Must be 0 or more.').optional(),
  /** Cloudflare Turnstile token; required (and verified) only when the Worker has TURNSTILE_SECRET. */
  turnstileToken: z.string('Must be text.').max(2048).optional(),
};

/** Body of POST /v1/campaigns/:slug/signatures. Unknown fields are rejected. */
export const SignatureInput = z.strictObject({
  firstName: personName('first name'),
  lastName: personName('last name'),
  email: text('Enter your email address.')
    .trim()
    .max(EMAIL_MAX, 'That email is too long.')
    .pipe(z.email({ pattern: EMAIL, error: 'Enter a valid email address.' })),
  zip: Zip,
  phone: z
    .string()
    .trim()
    .max(PHONE_MAX)
    .regex(PHONE, 'Enter a valid phone number.')
    .optional(),
  partner: PartnerCode.optional(),
  /** The referral code of the share link this signer arrived through. */
  referral: ReferralCode.optional(),
  consentPartner: z.boolean('Must be true or false.').default(false),
  consentEffort: z.boolean('Must be true or false.').default(false),
  /** The language the form was shown in: the confirmation email's (default: from Accept-Language, else en). */
  lang: Lang.optional(),
  // Abuse signals (honeypot, minimum time, Turnstile), all optional: see form-guard.ts and docs/reliability.md.
  ...humanSignalFields,
});
export type SignatureInput = z.input<typeof SignatureInput>;

/** Query of GET /v1/efforts/:slug/lookup: a ZIP or "City, ST", or a point, or nothing. */
export const LookupQuery = z
  .strictObject({
    q: z
      .string()
      .trim()
      .min(1, 'Enter a ZIP code or a city.')
      .max(100)
      .refine((q) => parsePlaceQuery(q) !== null, 'Enter a 5-digit ZIP code or a city, like "Skokie, IL".')
      .optional(),
    lat: z.coerce.number().min(-90).max(90).optional(),
    lon: z.coerce.number().min(-180).max(180).optional(),
    limit: z.coerce.number().int().min(1).max(50).default(10),
    /** Distance unit of `distance`: miles or kilometres (default: from Accept-Language, en-US → mi). */
    units: z.enum(['mi', 'km'], 'Use "mi" or "km".').optional(),
    /** A partner code: the answer says whether this page may credit it (LookupOut.partner). */
    partner: PartnerCode.optional(),
  })
  .refine((v) => (v.lat === undefined) === (v.lon === undefined), {
    message: 'Give both lat and lon, or neither.',
    path: ['lat'],
  });

// ---------------------------------------------------------------------------------------------
// Response shapes (documented in docs/api.md; the widget imports them as types).

export interface EffortOut {
  slug: string;
  title: string;
  body: string;
  goal: number;
  signatureCount: number;
  /** Signatures whose signers confirmed their email (imported signatures are not among them). */
  confirmedCount: number;
  campaignCount: number;
}

export interface TargetOut {
  name: string;
  title: string;
}

export interface CampaignSummaryOut {
  slug: string;
  town: string;
  state: string;
  title: string;
  target: TargetOut;
  goal: number;
  signatureCount: number;
  /** Signatures whose signers confirmed their email. */
  confirmedCount: number;
  /** Public form "Denise L.", or null where the page showed no creator. */
  creatorName: string | null;
  lat: number;
  lon: number;
  /** Great-circle distance from the looked-up place, present in lookup results. */
  distanceKm?: number;
  /** The same distance in the lookup's `unit` (0.1 precision), present in lookup results. */
  distance?: number;
}

export interface PublicSignerOut {
  /** "First L.": never a full last name, never an email. */
  name: string;
  signedAt: string;
}

export interface CampaignOut extends CampaignSummaryOut {
  body: string;
  /** The effort the campaign belongs to: a widget opens a shared campaign only if this is its own effort. */
  effort: { slug: string; title: string };
  recentSigners: PublicSignerOut[];
  /** The latest delivery of the petition to its official ("Delivered to Mayor X on …"), or null. */
  delivered?: { official: string; deliveredAt: string } | null;
  /**
   * 'live' (reviewed, listed), or 'unlisted': awaiting the organizers' review, reachable by its link only.
   * Show an unlisted campaign marked "awaiting review". (Always sent; optional for older clients' types.)
   */
  status?: CampaignStatus;
  /** With `?partner=`: whether that partner may be credited from this page (see PartnerCreditOut). */
  partner?: PartnerCreditOut;
}

/**
 * The answer to `?partner=CODE` on GET /v1/efforts/:slug, …/lookup and /v1/campaigns/:slug: may the page
 * that asked (its Origin header) credit signatures to that partner? Only then does the widget offer the
 * consent box, naming the partner by its display name. Otherwise `reason` says what to fix:
 * 'unknown_partner' (no partner has this code) or 'site_not_registered' (the partner exists, but this
 * site is not one of its sites). Organizers see such attempts on /admin.
 */
export interface PartnerCreditOut {
  code: string;
  registered: boolean;
  /** The partner's display name, when registered for this site. */
  name: string | null;
  reason?: 'unknown_partner' | 'site_not_registered';
}

export interface PlaceOut {
  label: string;
  lat: number;
  lon: number;
  source: 'zip' | 'city' | 'coordinates' | 'request';
  /** The ZIP code, for a ZIP lookup. */
  zip?: string;
  /** Town or city name and USPS state code, where known. */
  city?: string;
  state?: string;
  /** Population, where the gazetteer has it (cities). */
  population?: number | null;
}

/** An official of the effort with no live campaign yet: "No campaign for Mayor X yet — start one". */
export interface AwaitingTargetOut extends TargetOut {
  id: number;
  jurisdiction: string;
  state: string;
  lat: number;
  lon: number;
  distanceKm: number;
  /** distanceKm in the lookup's `unit`. */
  distance: number;
}

/** `found`: a campaign is within the distance limit; `none_nearby`: none is (see `nearby`, `awaiting`). */
export type LookupCode = 'found' | 'none_nearby';

export interface LookupOut {
  place: PlaceOut;
  /** The effort's distance limit: a campaign farther than this is not "near". */
  distanceLimitKm: number;
  /** The closest listed campaign if it is within the distance limit, else null. */
  nearest: CampaignSummaryOut | null;
  /** The closest listed campaigns, closest first, each with distanceKm (may lie beyond the limit). */
  nearby: CampaignSummaryOut[];
  /** Whether a campaign is within the limit. */
  code: LookupCode;
  /** Unit of every `distance` field: miles for en-US (or ?units=mi), else kilometres. */
  unit: 'mi' | 'km';
  /** The distance limit in `unit`. */
  distanceLimit: number;
  /** For an ambiguous name ("Springfield"): the other places it may mean, most populous first. */
  alternatives: PlaceOut[];
  /** Officials within the limit that have no live campaign yet, closest first. */
  awaiting: AwaitingTargetOut[];
  /** The effort itself (as GET /v1/efforts/:slug), so a first paint needs one request. */
  effort: EffortOut;
  /** With `?partner=`: whether that partner may be credited from this page. */
  partner?: PartnerCreditOut;
}

export interface SignatureOut {
  campaign: string;
  /**
   * The campaign's count just before this signature, plus one: the same number for a new, a repeated and
   * a held signature (the answer never tells whether an email had signed). It may run one ahead of the
   * campaign's count when the signature is not counted yet (see docs/reliability.md).
   */
  signatureCount: number;
  goal: number;
  /**
   * A new random code for the signer's own share links (`sp_ref`), so re-shares chain. Always
   * present, for a repeat email too (a fresh code then, which records nothing): same shape either way.
   */
  referralCode: string;
}

export interface ErrorIssue {
  path: string;
  message: string;
  /** What to send instead, where the server knows (`place_not_found`: a place spelt nearly alike). */
  suggestion?: string;
}

export type ErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'place_not_found'
  | 'idempotency_mismatch'
  | 'idempotency_in_progress'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'forbidden_origin'
  | 'unauthorized'
  | 'internal_error'
  | 'not_configured'
  | 'challenge_failed'
  | 'not_configured'
  | 'challenge_unavailable';

export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; issues?: ErrorIssue[] };
}

export type DataEnvelope<T> = { data: T };

// ---------------------------------------------------------------------------------------------
// Local campaigns started by supporters, and the organizer API (/v1/admin). See docs/organizers.md.

const EmailAddress = text('Enter your email address.')
  .trim()
  .max(EMAIL_MAX, 'That email is too long.')
  .pipe(z.email({ pattern: EMAIL, error: 'Enter a valid email address.' }));

/** One line of plain text (titles, names of officials): never HTML, no control characters. */
export const plainLineField = (what: string, max: number) =>
  text(`Enter ${what}.`)
    .overwrite(plainLine)
    .min(1, `Enter ${what}.`)
    .max(max, `${what[0]!.toUpperCase()}${what.slice(1)} is too long (${max} characters at most).`);

/** Multi-line plain text (a campaign's or an effort's text): line breaks kept, never HTML. */
const plainTextField = (what: string, max: number, min = 1) =>
  text(`Enter ${what}.`)
    .overwrite(plainText)
    .min(min, `Enter ${what}.`)
    .max(max, `${what[0]!.toUpperCase()}${what.slice(1)} is too long (${max} characters at most).`);

/** A US state or territory code ("IL"). */
export const StateCode = text('Enter the state.')
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'Use the two-letter state code.');

/** A place as the lookup takes it: a ZIP code or "City, ST". */
const PlaceQuery = text('Enter a ZIP code or "City, ST".').trim().min(1, 'Enter a ZIP code or "City, ST".').max(100);

const NewTargetInput = z.strictObject({
  name: plainLineField('the official’s name', 80),
  title: plainLineField('the official’s title', 60),
});

const campaignGoal = z.number('Must be a number.').int('Must be a whole number.').min(5, 'At least 5.').max(10_000_000);

/** The target and place of a new campaign: one of the effort's targets, or a new one with a place. */
const campaignWhere = {
  /** One of the effort's targets (from the lookup's targets awaiting a campaign). */
  targetId: z.number('Must be a number.').int().positive().optional(),
  /** Or an official the supporter names; then `place` is required. */
  target: NewTargetInput.optional(),
  /** ZIP or "City, ST": where the campaign is. Defaults to the target's own town. */
  place: PlaceQuery.optional(),
};

const whereRules = <T extends { targetId?: number; target?: unknown; place?: string }>(schema: z.ZodType<T>) =>
  schema
    .refine((v) => (v.targetId === undefined) !== (v.target === undefined), {
      message: 'Pick one of the effort’s targets (targetId) or name a new one (target).',
      path: ['targetId'],
    })
    .refine((v) => v.target === undefined || v.place !== undefined, {
      message: 'Enter the ZIP code or "City, ST" of the new target’s town.',
      path: ['place'],
    });

/** Body of POST /v1/efforts/:slug/campaigns (a supporter starts a local campaign). */
export const NewCampaignInput = whereRules(
  z.strictObject({
    ...campaignWhere,
    /** Prefilled from the effort's title template; editable. */
    title: plainLineField('a title', 200).optional(),
    /** Prefilled from the effort's text template; editable. Plain text. */
    body: plainTextField('the text', 5000).optional(),
    /** Default: the effort's default goal (100). */
    goal: campaignGoal.optional(),
    creator: z.strictObject({
      firstName: personName('first name'),
      lastName: personName('last name'),
      email: EmailAddress,
    }),
    partner: PartnerCode.optional(),
    /** The language of the start page: the creator's confirmation email's. */
    lang: Lang.optional(),
    // The same abuse signals as a signature's (honeypot, minimum time, Turnstile); the time is required
    // here: every form that starts a campaign knows when it was shown.
    ...humanSignalFields,
    elapsedMs: z.number('Send elapsedMs: the milliseconds since the form was shown.').int('Must be a whole number.').min(0, 'Must be 0 or more.'),
  }),
);
export type NewCampaignInput = z.input<typeof NewCampaignInput>;

/** Query of GET /v1/efforts/:slug/campaigns/draft: the prefilled title and text for a target and place. */
export const CampaignDraftQuery = whereRules(
  z.strictObject({
    targetId: z.coerce.number('Must be a number.').int().positive().optional(),
    targetName: plainLineField('the official’s name', 80).optional(),
    targetTitle: plainLineField('the official’s title', 60).optional(),
    place: PlaceQuery.optional(),
    /**
     * The site (origin only: the page's address stays in the browser) the start page would lead back
     * to: `siteAllowed` says whether it may.
     */
    site: z.string().max(300).optional(),
    partner: PartnerCode.optional(),
  }).transform(({ targetName, targetTitle, ...rest }) => ({
    ...rest,
    target: targetName === undefined && targetTitle === undefined ? undefined : { name: targetName ?? '', title: targetTitle ?? '' },
  })),
);

export const CampaignStatus = z.enum(['live', 'unlisted', 'pending', 'suppressed']);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

/** Body of POST /v1/admin/efforts/:slug/campaigns: an organizer's campaign is live unless told otherwise. */
export const AdminNewCampaignInput = whereRules(
  z.strictObject({
    ...campaignWhere,
    title: plainLineField('a title', 200).optional(),
    body: plainTextField('the text', 5000).optional(),
    goal: campaignGoal.optional(),
    slug: Slug.optional(),
    status: CampaignStatus.default('live'),
  }),
);

const ModerationMode = z.enum(['post', 'pre'], 'Use "post" (live by link at once) or "pre" (approval first).');
const effortFields = {
  title: plainLineField('a title', 200),
  body: plainTextField('the text', 10_000),
  goal: z.number('Must be a number.').int('Must be a whole number.').positive('Must be more than 0.').max(1_000_000_000),
  titleTemplate: plainLineField('a title template', 300),
  bodyTemplate: plainTextField('a text template', 10_000, 0),
  defaultGoal: campaignGoal,
  distanceLimitKm: z.number('Must be a number.').positive('Must be more than 0.').max(20_000),
  moderation: ModerationMode,
  /** 'at_once': counted when signed (confirmation recorded); 'confirmed': counted once the email is confirmed. */
  counting: z.enum(['at_once', 'confirmed'], 'Use "at_once" or "confirmed".'),
};

/** Body of POST /v1/admin/efforts. */
export const EffortInput = z.strictObject({
  slug: Slug,
  ...effortFields,
  titleTemplate: effortFields.titleTemplate.optional(),
  bodyTemplate: effortFields.bodyTemplate.optional(),
  defaultGoal: effortFields.defaultGoal.optional(),
  distanceLimitKm: effortFields.distanceLimitKm.optional(),
  moderation: effortFields.moderation.optional(),
  counting: effortFields.counting.optional(),
});
export type EffortInput = z.output<typeof EffortInput>;

/** Body of PATCH /v1/admin/efforts/:slug: any of the fields. */
export const EffortPatch = z
  .strictObject(effortFields)
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change.');
export type EffortPatch = z.output<typeof EffortPatch>;

/** Body of PATCH /v1/admin/campaigns/:slug: edit the copy, the goal, the target, the status. */
export const CampaignPatch = z
  .strictObject({
    title: plainLineField('a title', 200),
    body: plainTextField('the text', 5000),
    goal: campaignGoal,
    town: plainLineField('the town', 80),
    state: StateCode,
    targetName: plainLineField('the official’s name', 80),
    targetTitle: plainLineField('the official’s title', 60),
    status: CampaignStatus,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change.');
export type CampaignPatch = z.output<typeof CampaignPatch>;

/** Query of GET /v1/admin/efforts/:slug/campaigns (the moderation queue by default). */
export const AdminCampaignsQuery = z.strictObject({
  status: z
    .string()
    .default('unlisted,pending')
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(CampaignStatus).min(1)),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Keyset cursor: the `nextCursor` of the previous page. */
  cursor: z.coerce.number().int().min(0).default(0),
});

/** Query of GET /v1/admin/efforts/:slug/totals. */
export const TotalsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(1000).default(200),
  offset: z.coerce.number().int().min(0).default(0),
});

/** One row of a targets CSV (columns: name,title,jurisdiction,state,lat,lon; a header row first). */
export const TargetCsvRow = z.object({
  name: plainLineField('the official’s name', 80),
  title: plainLineField('the official’s title', 60),
  jurisdiction: plainLineField('the jurisdiction', 80),
  state: StateCode,
  lat: z.coerce.number('Must be a number.').min(-90).max(90),
  lon: z.coerce.number('Must be a number.').min(-180).max(180),
});
export type TargetCsvRow = z.output<typeof TargetCsvRow>;

export interface NewCampaignOut extends CampaignOut {
  /** 'unlisted' (reachable by its link, listed once approved) or 'pending' (reachable once approved). */
  status: CampaignStatus;
}

export interface CampaignDraftOut {
  town: string;
  state: string;
  target: TargetOut & { id: number | null };
  title: string;
  body: string;
  goal: number;
  /** What a new campaign becomes: 'unlisted' (post-moderation) or 'pending' (pre-moderation). */
  status: CampaignStatus;
  /**
   * With `?site=`: whether the start page may lead back to that site (one of the effort's sites, one of
   * the partner's, or this Worker's own origin). If not, it leads back to nothing but its own origin.
   * (Always sent with `site`; optional for older clients' types.)
   */
  siteAllowed?: boolean;
}

export interface AdminEffortOut extends EffortOut {
  titleTemplate: string;
  bodyTemplate: string;
  defaultGoal: number;
  distanceLimitKm: number;
  moderation: 'post' | 'pre';
  counting: 'at_once' | 'confirmed';
  createdAt: string;
}

/** A campaign as organizers see it: with its status and the creator's email (never public). */
export interface AdminCampaignOut extends CampaignSummaryOut {
  id: number;
  body: string;
  status: CampaignStatus;
  targetId: number | null;
  creatorEmail: string | null;
  createdAt: string;
}

export interface TotalsOut {
  effort: { slug: string; signatureCount: number; campaignCount: number; goal: number };
  byStatus: Record<CampaignStatus, number>;
  byCampaign: { slug: string; town: string; state: string; status: CampaignStatus; signatureCount: number; goal: number }[];
  /** Signatures stored here by partner code ('' = none); imported counts have no partner. */
  byPartner: { partner: string; signatureCount: number }[];
}
