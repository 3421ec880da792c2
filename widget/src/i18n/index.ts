/**
 * Per-element localization: each <sanctuary-petition> resolves its own language, so several
 * widgets in different languages work on one page (a single global locale would not).
 * The translation tables are the only module state, and they are never mutated.
 */
import en, { type Messages, type Plural } from './en.ts';
import es from './es.ts';

export type { Messages, Plural };
export type Lang = 'en' | 'es';
export const LANGS: Readonly<Record<Lang, Messages>> = Object.freeze({ en, es });

type Vars = Readonly<Record<string, string | number>>;
export type TextKey = { [K in keyof Messages]: Messages[K] extends string ? K : never }[keyof Messages];
export type PluralKey = Exclude<keyof Messages, TextKey>;

/**
 * The locale for an element: its own `lang` (property or attribute), else the closest `[lang]`
 * ancestor, else `navigator.language`. Only `en` and `es` have messages; any other language
 * falls back to `en` (numbers too, so a page reads consistently).
 */
export function resolveLocale(el: Element, own = ''): string {
  const candidates = [own, el.closest('[lang]')?.getAttribute('lang') ?? '', globalThis.navigator?.language ?? ''];
  const tag = candidates.find((c) => c.trim() !== '')?.trim() ?? 'en';
  if (!['en', 'es'].includes(tag.toLowerCase().split(/[-_]/)[0] ?? '')) return 'en';
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? 'en';
  } catch {
    return langOf(tag);
  }
}

/** `es-MX` → `es`; anything unsupported → `en`. */
export function langOf(locale: string): Lang {
  return locale.toLowerCase().split(/[-_]/)[0] === 'es' ? 'es' : 'en';
}

const fill = (s: string, vars?: Vars) => (vars ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m)) : s);

export class Localizer {
  readonly lang: Lang;
  private readonly _messages: Messages;
  private readonly _numbers: Intl.NumberFormat;
  private readonly _decimals: Intl.NumberFormat;
  private readonly _plurals: Intl.PluralRules;

  constructor(readonly locale: string) {
    this.lang = langOf(locale);
    this._messages = LANGS[this.lang];
    this._numbers = new Intl.NumberFormat(locale);
    this._decimals = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
    this._plurals = new Intl.PluralRules(locale);
  }

  /** A translated message with `{placeholders}` filled. */
  t(key: TextKey, vars?: Vars): string {
    return fill(this._messages[key], vars);
  }

  /** A plural message chosen by `count` (exposed to the message as `{n}`, formatted). */
  plural(key: PluralKey, count: number, vars?: Vars): string {
    const table = this._messages[key];
    const form = this._plurals.select(count);
    return fill(table[form] ?? table.other, { n: this.n(count), ...vars });
  }

  /** A formatted whole number: 30,000 (en), 30.000 (es). */
  n(value: number): string {
    return this._numbers.format(value);
  }

  /** A distance from kilometres: miles in English (US readers), kilometres in Spanish. */
  distance(km: number): string {
    const value = this.lang === 'en' ? km * 0.621371 : km;
    return this.t('distance.text', { distance: this._decimals.format(value) });
  }
}

const KNOWN_ERRORS = ['network', 'not_found', 'place_not_found', 'rate_limited', 'validation_failed', 'forbidden_origin'];

/** The message key for an API error code (`error.generic` for a code the visitor need not tell apart). */
export const errorKey = (code: string): TextKey => (KNOWN_ERRORS.includes(code) ? `error.${code}` : 'error.generic') as TextKey;
