/**
 * One copy of each rule for what a supporter types, imported by the Worker's zod schemas
 * (worker/src/schemas.ts) and by the widget's form checks (widget/src/validate.ts), so a value the
 * widget lets through is one the API takes ("Ana 123" is refused by both). Plain regular expressions
 * and predicates: no zod here (it stays out of the browser bundle), no DOM, no state.
 */

/** URL slugs: lower-case letters, digits and single hyphens ("santa-maria"), at most SLUG_MAX long. */
export const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SLUG_MAX = 80;

/** A partner attribution code (`partner="chicago-rising"`). */
export const PARTNER = /^[A-Za-z0-9_-]{1,64}$/;
export const PARTNER_MAX = 64;

/** A share link's referral code (`sp_ref`). */
export const REFERRAL = /^[A-Za-z0-9_-]{6,32}$/;

/** US ZIP code: 5 digits, optionally ZIP+4. */
export const ZIP = /^\d{5}(?:-?\d{4})?$/;

/** A phone number: digits, spaces, ( ) . - and a leading +, seven characters at least. */
export const PHONE = /^\+?[0-9 ().-]{7,}$/;
export const PHONE_MAX = 32;

/** An email address (zod's own pattern for `z.email()`, written once here). */
export const EMAIL = /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9-]*\.)+[A-Za-z]{2,}$/;
export const EMAIL_MAX = 254;

export const NAME_MAX = 80;

/** Spreadsheet formulas ("=HYPERLINK(…)") when an organizer opens the export. */
export const NAME_FORMULA = /^[=+\-@]/;
/** The first name is shown publicly: an email or a phone number typed into it must not be. */
export const NAME_NUMBER = /\d{3}/;
export const NAME_LINK = /(https?:\/\/|www\.|[<>])/i;
/** A web address without a scheme (a bare domain is a link too: "cheap-pills.shop"). */
export const WEB_ADDRESS =
  /[a-z0-9-]\.(?:com|net|org|info|biz|io|co|me|us|uk|ru|cn|de|xyz|top|site|online|shop|app|link|click|live|club|ly|gl)\b|[a-z0-9-]\.[a-z]{2,}\//i;
/** No control characters (line breaks, NUL, bidi overrides), no unpaired surrogates in a name. */
export const NAME_CHARACTERS = /[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069]/u;

/** Why a (trimmed, non-empty) first or last name is refused, or null when it is fine. */
export type NameProblem = 'long' | 'formula' | 'at' | 'number' | 'link' | 'characters';

export function nameProblem(name: string): NameProblem | null {
  if (name.length > NAME_MAX) return 'long';
  if (NAME_FORMULA.test(name)) return 'formula';
  if (name.includes('@')) return 'at';
  if (NAME_NUMBER.test(name)) return 'number';
  if (NAME_LINK.test(name) || WEB_ADDRESS.test(name)) return 'link';
  if (NAME_CHARACTERS.test(name)) return 'characters';
  return null;
}
