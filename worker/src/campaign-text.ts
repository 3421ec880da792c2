/**
 * Campaign copy written by supporters and organizers: plain text, never HTML. Pure functions.
 * The API stores and returns the text as typed (normalised below); clients render it as text
 * (line breaks kept, only http(s) links made clickable), so nothing in it can ever run.
 */

/** Control characters other than line feed and tab, bidi overrides/isolates, and lone surrogates. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFEFF]|\p{Cs}/gu;

/**
 * Multi-line plain text: line breaks normalised to "\n", unsafe characters removed, trailing
 * spaces dropped, at most one empty line in a row, trimmed.
 */
export function plainText(s: string): string {
  return s
    .replace(/\r\n?|\u2028|\u2029/g, '\n')
    .replace(UNSAFE, '')
    .replace(/\t/g, ' ')
    .replace(/[ \u00A0]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** One line of plain text (a title, a name): any line break becomes a space, spaces collapsed. */
export const plainLine = (s: string): string => plainText(s).replace(/\s+/g, ' ');

export interface TemplateVars {
  targetName: string;
  targetTitle: string;
  town: string;
  state: string;
}

/**
 * Fills an effort's template: {targetTitle}, {targetName} (also {target}), {town}, {state}.
 * Unknown placeholders stay as they are, so an organizer sees the typo.
 */
export function fillTemplate(template: string, v: TemplateVars): string {
  const values: Record<string, string> = { ...v, target: v.targetName };
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/** The public form of a person's name: "Denise L." (first name and the last name's initial). */
export function publicName(firstName: string, lastName: string): string {
  const initial = Array.from(lastName.trim())[0];
  return initial ? `${firstName.trim()} ${initial.toLocaleUpperCase()}.` : firstName.trim();
}

/** A URL slug from a town's name: "São Paulo" → "sao-paulo", "St. Louis" → "st-louis". */
export function slugify(s: string, max = 60): string {
  const slug = s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return slug || 'campaign';
}
