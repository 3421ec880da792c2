/** The element's attributes checked against their allow-lists (an invalid value is reported, never thrown). */
import { SLUG } from './share.ts';

export const THEMES: readonly string[] = ['light', 'dark', 'auto'];

/** The origin that served this module (`document.currentScript` is null in module scripts). */
export const MODULE_ORIGIN = (() => {
  try {
    const origin = new URL(import.meta.url).origin;
    return origin === 'null' ? '' : origin;
  } catch {
    return '';
  }
})();

/** What is wrong with the attributes, in a sentence that says what to write instead; undefined if nothing. */
export function configProblem(el: { effort: string; campaign: string; api: string }): string | undefined {
  const slug = (a: 'effort' | 'campaign', v: string) => `Invalid ${a}="${el[a]}": use a slug (a-z, 0-9, -), like ${a}="${v}".`;
  if (el.effort && !SLUG.test(el.effort)) return slug('effort', 'expand-sanctuary');
  if (el.campaign && !SLUG.test(el.campaign)) return slug('campaign', 'skokie');
  if (!el.effort && !el.campaign) return 'Set effort="…" (the finder) or campaign="…" (one local campaign).';
  const api = el.api.trim();
  if (api) {
    let ok: boolean;
    try {
      ok = ['http:', 'https:'].includes(new URL(api).protocol);
    } catch {
      ok = false;
    }
    if (!ok) return `Invalid api="${el.api}": use an origin like api="https://petitions.example.org", or remove it.`;
  }
  return undefined;
}
