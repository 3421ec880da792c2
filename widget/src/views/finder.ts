/**
 * The finder: the effort (title, text, totals), the search form, and what a lookup found: "Did you
 * mean…", the officials still awaiting a campaign, the campaigns nearby, and a link to start one.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { AwaitingTargetOut, CampaignSummaryOut, EffortOut } from '../api.ts';
import type { LookupState } from '../controllers/lookup.ts';
import type { Localizer } from '../i18n/index.ts';
import { bar, paragraphs, progressText, targetText } from './parts.ts';

/** Where a new campaign would be: a place to look up again, or an official awaiting a campaign. */
export type StartWhere = { place: string } | { target: number };

export interface FinderState {
  effort: EffortOut;
  lookup: LookupState;
  /** The start-a-campaign page for a place or an official, labelled for the visitor. */
  startHref(where: StartWhere, label: string): string;
}

export interface FinderHandlers {
  search(e: SubmitEvent): void;
  /** Typing in the search box. */
  typed(): void;
  locate(): void;
  /** Looks up one of the "Did you mean…" places. */
  pick(q: string): void;
  /** Opens a campaign of the results. */
  open(slug: string): void;
}

export function finderView(l: Localizer, s: FinderState, on: FinderHandlers): TemplateResult {
  const effort = s.effort;
  const searchError = s.lookup._invalid;
  return html`<header part="header" class="header">
      <h2 part="title" id="title" tabindex="-1">${effort.title}</h2>
      <div class="body">${paragraphs(effort.body)}</div>
      <div part="progress" class="progress">
        <p>
          ${l.plural('effort.progress', effort.campaignCount, {
            count: l.n(effort.signatureCount),
            goal: l.n(effort.goal),
            campaigns: l.n(effort.campaignCount),
          })}
        </p>
        ${bar(effort.signatureCount, effort.goal)}
      </div>
    </header>
    <section part="finder" class="finder" aria-labelledby="finder-title">
      <h3 id="finder-title" tabindex="-1">${l.t('finder.title')}</h3>
      <form part="search" class="search" role="search" novalidate @submit=${on.search}>
        <label for="q">${l.t('finder.label')}</label>
        <div class="search-row">
          <input
            part="input"
            id="q"
            name="q"
            type="text"
            required
            maxlength="100"
            autocomplete="postal-code"
            enterkeyhint="search"
            placeholder=${l.t('finder.placeholder')}
            aria-invalid=${searchError ? 'true' : 'false'}
            aria-describedby=${searchError ? 'q-error' : nothing}
            @input=${on.typed}
          />
          <button part="button" type="submit">${l.t('finder.submit')}</button>
        </div>
        ${searchError ? html`<p id="q-error" class="field-error">${l.t('finder.required')}</p>` : nothing}
        <button part="button" type="button" class="secondary locate" @click=${on.locate}>${l.t('finder.locate')}</button>
      </form>
      ${resultsView(l, s, on)}
    </section>`;
}

function resultsView(l: Localizer, s: FinderState, on: FinderHandlers): TemplateResult | typeof nothing {
  const lookup = s.lookup;
  if (lookup._status === 'loading') return html`<p class="muted searching">${l.t('status.searching')}</p>`;
  if (lookup._status === 'error' && lookup._error) return html`<p part="error" class="notice">${l.t(lookup._error)}</p>`;
  const data = lookup._data;
  if (!data) return nothing;
  const place = data.place.label;
  // `nearest` is null when nothing lies within the effort's distance limit; `nearby` may then
  // still hold farther campaigns, shown under a different heading.
  const empty = !data.nearest || !data.nearby.length;
  const p = data.place;
  // Where a new campaign would be: a ZIP or "City, ST" the server can look up again.
  const where = p.zip ?? (p.city && p.state ? `${p.city}, ${p.state}` : '');
  return html`${data.alternatives.length
      ? html`<div class="notice alternatives">
          <p>${l.t('results.didYouMean')}</p>
          ${data.alternatives.map(
            (a) => html`<button part="button" type="button" class="link" @click=${() => on.pick(a.label)}>${a.label}</button>`,
          )}
        </div>`
      : nothing}
    ${empty ? html`<p class="notice empty">${l.t('results.empty', { place })}</p>` : nothing}
    ${data.awaiting.length
      ? html`<h4>${l.t('awaiting.title')}</h4>
          <ul part="results" class="results">
            ${data.awaiting.map((t) => awaitingView(l, t, s))}
          </ul>`
      : nothing}
    ${where
      ? html`<a part="button start" class="button secondary start-here" href=${s.startHref({ place: where }, place)}>${l.t('start.here', { place })}</a>`
      : nothing}
    ${data.nearby.length
      ? html`<h4>${empty ? l.t('results.others') : l.t('results.title', { place })}</h4>
          <ul part="results" class="results">
            ${data.nearby.map((c, i) => resultView(l, c, i, c.slug === data.nearest?.slug, on))}
          </ul>`
      : nothing}`;
}

function awaitingView(l: Localizer, t: AwaitingTargetOut, s: FinderState): TemplateResult {
  const label = `${t.jurisdiction}, ${t.state}`;
  return html`<li part="result" class="result awaiting">
    <p class="place">${label}</p>
    <p>${l.t('awaiting.none', { target: `${t.title} ${t.name}` })}</p>
    <p class="meta muted"><span class="distance">${l.distance(t.distanceKm)}</span></p>
    <a part="button start" class="button secondary" href=${s.startHref({ target: t.id }, label)}>${l.t('awaiting.start')}</a>
  </li>`;
}

function resultView(l: Localizer, c: CampaignSummaryOut, i: number, closest: boolean, on: FinderHandlers): TemplateResult {
  return html`<li part="result" class="result">
    <p class="place">${c.town}, ${c.state}${closest ? html`<span class="badge">${l.t('results.closest')}</span>` : nothing}</p>
    <h4 id="r-${i}">${c.title}</h4>
    <p class="muted target">${l.t('campaign.target', { target: targetText(c.target) })}</p>
    <div part="progress" class="progress"><p>${progressText(l, c.signatureCount, c.goal)}</p>${bar(c.signatureCount, c.goal, true)}</div>
    <p class="meta muted">
      ${c.creatorName ? html`<span class="creator">${l.t('campaign.creator', { name: c.creatorName })}</span>` : nothing}
      ${typeof c.distanceKm === 'number' ? html`<span class="distance">${l.distance(c.distanceKm)}</span>` : nothing}
    </p>
    <button part="button open" type="button" data-slug=${c.slug} aria-describedby="r-${i}" @click=${() => on.open(c.slug)}>
      ${l.t('results.open')}
    </button>
  </li>`;
}
