/**
 * The one source of truth for the shapes of the public HTTP API.
 * The Worker validates with these schemas; the widget imports the inferred types with
 * `import type` (so zod itself never reaches the browser bundle).
 */
import { z } from 'zod';

/** URL slugs: lower-case letters, digits and single hyphens ("santa-maria"). */
export const Slug = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'Use lower-case letters, digits and hyphens.');

export const SlugParams = z.object({ slug: Slug });

/** A partner attribution code, as in `<sanctuary-petition partner="chicago-rising">`. */
export const PartnerCode = z
  .string()
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'Use letters, digits, "-" and "_".');

/** A string field whose absence or wrong type reads as a plain request to fill it in. */
const text = (missing: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? missing : 'Must be text.') });

/** Names: printable text, no markup-looking or spreadsheet-formula prefixes, no links. */
const personName = (what: string) =>
  text(`Enter your ${what}.`)
    .trim()
    .min(1, `Enter your ${what}.`)
    .max(80, `Your ${what} is too long (80 characters at most).`)
    .refine((s) => !/^[=+\-@]/.test(s), `Your ${what} cannot start with = + - or @.`)
    .refine((s) => !/(https?:\/\/|www\.|[<>])/i.test(s), `Your ${what} cannot contain links or < >.`)
    // No control characters (line breaks, NUL, bidi overrides) in a name.
    .refine((s) => !/[\p{Cc}\u202A-\u202E\u2066-\u2069]/u.test(s), `Your ${what} contains characters we cannot accept.`);

/** US ZIP code: 5 digits, optionally ZIP+4. */
export const Zip = text('Enter your ZIP code.')
  .trim()
  .regex(/^\d{5}(?:-?\d{4})?$/, 'Enter a 5-digit ZIP code.');

/** Body of POST /v1/campaigns/:slug/signatures. Unknown fields are rejected. */
export const SignatureInput = z.strictObject({
  firstName: personName('first name'),
  lastName: personName('last name'),
  email: text('Enter your email address.').trim().max(254, 'That email is too long.').pipe(z.email('Enter a valid email address.')),
  zip: Zip,
  phone: z
    .string()
    .trim()
    .max(32)
    .regex(/^\+?[0-9 ().-]{7,}$/, 'Enter a valid phone number.')
    .optional(),
  partner: PartnerCode.optional(),
  consentPartner: z.boolean('Must be true or false.').default(false),
  consentEffort: z.boolean('Must be true or false.').default(false),
});
export type SignatureInput = z.input<typeof SignatureInput>;

/** Query of GET /v1/efforts/:slug/lookup: a ZIP or "City, ST", or a point, or nothing. */
export const LookupQuery = z
  .strictObject({
    q: z.string().trim().min(1, 'Enter a ZIP code or a city.').max(100).optional(),
    lat: z.coerce.number().min(-90).max(90).optional(),
    lon: z.coerce.number().min(-180).max(180).optional(),
    limit: z.coerce.number().int().min(1).max(50).default(10),
  })
  .refine((v) => (v.lat === undefined) === (v.lon === undefined), {
    message: 'Give both lat and lon, or neither.',
    path: ['lat'],
  });

// ---------------------------------------------------------------------------------------------
// Response shapes (documented in the README; the widget imports them as types).

export interface EffortOut {
  slug: string;
  title: string;
  body: string;
  goal: number;
  signatureCount: number;
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
  /** Public form "Denise L.", or null where the page showed no creator. */
  creatorName: string | null;
  lat: number;
  lon: number;
  /** Great-circle distance from the looked-up place, present in lookup results. */
  distanceKm?: number;
}

export interface PublicSignerOut {
  /** "First L.": never a full last name, never an email. */
  name: string;
  signedAt: string;
}

export interface CampaignOut extends CampaignSummaryOut {
  body: string;
  effort: { slug: string; title: string };
  recentSigners: PublicSignerOut[];
}

export interface PlaceOut {
  label: string;
  lat: number;
  lon: number;
  source: 'zip' | 'city' | 'coordinates' | 'request';
}

export interface LookupOut {
  place: PlaceOut;
  /** The effort's distance limit: a campaign farther than this is not "near". */
  distanceLimitKm: number;
  /** The closest listed campaign if it is within the distance limit, else null. */
  nearest: CampaignSummaryOut | null;
  /** The closest listed campaigns, closest first, each with distanceKm (may lie beyond the limit). */
  nearby: CampaignSummaryOut[];
  /** The effort itself (as GET /v1/efforts/:slug), so a first paint needs one request. */
  effort: EffortOut;
}

export interface SignatureOut {
  campaign: string;
  signatureCount: number;
  goal: number;
}

export interface ErrorIssue {
  path: string;
  message: string;
}

export type ErrorCode =
  | 'validation_failed'
  | 'not_found'
  | 'place_not_found'
  | 'idempotency_mismatch'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'forbidden_origin'
  | 'unauthorized'
  | 'internal_error';

export interface ErrorEnvelope {
  error: { code: ErrorCode; message: string; issues?: ErrorIssue[] };
}

export type DataEnvelope<T> = { data: T };
