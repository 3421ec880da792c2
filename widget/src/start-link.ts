/**
 * The link to the hosted start-a-campaign page (start/ on the API origin) for a place or an official
 * awaiting a campaign: it opens in this tab and links back to this page, to the new campaign, once it
 * exists. What it needs goes in the #fragment, which browsers never send to a server: the partner
 * page's address stays out of the Worker's request logs.
 */
import { pageLink } from './share.ts';
import type { StartWhere } from './views/finder.ts';

export interface StartLinkParams {
  effort: string;
  where: StartWhere;
  /** The place or official as the visitor saw it. */
  label: string;
  lang: string;
  partner?: string;
  theme: string;
}

export function startHref(apiOrigin: string, p: StartLinkParams): string {
  const url = new URL('/start/', apiOrigin || globalThis.location?.href);
  const params: Record<string, string | number> = { effort: p.effort, ...p.where, label: p.label, lang: p.lang };
  if (p.partner) params.partner = p.partner;
  if (p.theme !== 'light') params.theme = p.theme;
  params.return = pageLink(globalThis.location?.href ?? '');
  url.hash = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString();
  return url.href;
}
