/** Small pieces of template the views share. */
import { html, nothing, type TemplateResult } from 'lit';
import type { Localizer } from '../i18n/index.ts';

/** A text's lines as paragraphs (blank lines dropped). */
export const paragraphs = (text: string): TemplateResult[] =>
  text
    .split(/\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => html`<p>${p}</p>`);

/** "12 of 100 signatures". */
export const progressText = (l: Localizer, count: number, goal: number): string =>
  l.t('campaign.progress', { count: l.n(count), goal: l.n(goal) });

export function bar(count: number, goal: number, small = false): TemplateResult {
  const max = goal > 0 ? goal : 1;
  return html`<progress class=${small ? 'small' : ''} max=${max} value=${Math.min(Math.max(count, 0), max)} aria-hidden="true"></progress>`;
}

export const campaignProgress = (l: Localizer, count: number, goal: number): TemplateResult =>
  html`<div part="progress" class="progress"><p>${progressText(l, count, goal)}</p>${bar(count, goal)}</div>`;

/** "← Back to all campaigns", where there is a finder to go back to (`back` set). */
export const backButton = (l: Localizer, back?: () => void): TemplateResult | typeof nothing =>
  back
    ? html`<button part="button back" type="button" class="link back" @click=${back}>
        <span aria-hidden="true">←</span> ${l.t('campaign.back')}
      </button>`
    : nothing;

/** "Mayor Jane Doe". */
export const targetText = (t: { title: string; name: string }): string => `${t.title} ${t.name}`.trim();

/** Text longer than this (counted in whole paragraphs) is shortened behind "Read more". */
export const TEXT_PREVIEW = 280;

/**
 * A text as paragraphs, its first ones only (about TEXT_PREVIEW characters) until "Read more", so the
 * sign form stays near on a phone. `id` names the text for the button's aria-controls.
 */
export function longText(l: Localizer, text: string, id: string, expanded: boolean, toggle: () => void): TemplateResult {
  const all = paragraphs(text);
  const lines = text
    .split(/\r?\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  let n = 0;
  for (let len = 0; n < lines.length && (n === 0 || len + lines[n]!.length <= TEXT_PREVIEW); n++) len += lines[n]!.length;
  const cut = n < lines.length;
  return html`<div class="body" id=${id}>${expanded || !cut ? all : all.slice(0, n)}</div>
    ${
      cut
        ? html`<button part="button more" type="button" class="link more-text" aria-expanded=${expanded ? 'true' : 'false'} aria-controls=${id} @click=${toggle}>
          ${l.t(expanded ? 'body.less' : 'body.more')}
        </button>`
        : nothing
    }`;
}
