/**
 * The finder: the effort (title, text, totals), the search form, and what a lookup found: "Did you
 * mean…", the campaigns nearby (the first few, then "Show more"), the officials still awaiting a
 * campaign, and a link to start one ("Not your town?" after the list, where a campaign is near).
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { AwaitingTargetOut, CampaignSummaryOut, EffortOut } from '../api.ts';
import type { LookupState } from '../controllers/lookup.ts';
import type { Localizer } from '../i18n/index.ts';
import { bar, longText, progressText, targetText } from './parts.ts';

/** Where a new campaign would be: a place to look up again, or an official awaiting a campaign. */
export type StartWhere = { place: string } | { target: number };

export interface FinderState {
  effort: EffortOut;
  /** The effort's whole text is shown ("Read more"). */
  more?: boolean | undefined;
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
  /** Shows every campaign of the results, not only the first few. */
  more(): void;
  /** "Read more" / "Show less" of the effort's text. */
  toggleText(): void;
}

export function finderView(l: Localizer, s: FinderState, on: FinderHandlers): TemplateResult {
  const effort = s.effort;
  const searchError = s.lookup._invalid;
  return html`<header part="header" class="header">
      <h2 part="title" id="title" tabindex="-1">${effort.title}</h2>
      ${longText(l, effort.body, 'text', !!s.more, on.toggleText)}
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

/** How many campaigns a lookup shows before "Show more". */
export const FIRST_RESULTS = 3;

function resultsView(l: Localizer, s: FinderState, on: FinderHandlers): TemplateResult | typeof nothing {
  const lookup = s.lookup;
  if (lookup._status === 'loading') return html`<p class="muted searching">${l.t('status.searching')}</p>`;
  if (lookup._status === 'error' && lookup._error)
    return html`<p part="error" class="form-error lookup-error" role="alert">${l.t(lookup._error)}</p>
      ${lookup._suggestions.length ? alternativesView(l, lookup._suggestions, on) : nothing}`;
  const data = lookup._data;
  if (!data) return nothing;
  const p = data.place;
  const place = p.label;
  // The first answer is about where the request seems to come from (often wrong on phones): it shows the
  // nearest campaigns, never "none near you", and offers nothing to start there before a search.
  const guessed = p.source === 'request';
  // `nearest` is null when nothing lies within the effort's distance limit; `nearby` may then
  // still hold farther campaigns, shown under a different heading.
  const empty = !data.nearest || !data.nearby.length;
  // Where a new campaign would be: a ZIP or "City, ST" the server can look up again.
  const where = guessed ? '' : (p.zip ?? (p.city && p.state ? `${p.city}, ${p.state}` : ''));
  const shown = lookup._more ? data.nearby : data.nearby.slice(0, FIRST_RESULTS);
  const hidden = data.nearby.length - shown.length;
  const start = where
    ? html`${empty ? nothing : html`<p class="not-yours">${l.t('results.notYours')}</p>`}
        <a part="button start" class="button secondary start-here" href=${s.startHref({ place: where }, place)}>${l.t('start.here', { place })}</a>`
    : nothing;
  const heading = guessed && empty ? l.t('results.some') : empty ? l.t('results.others') : l.t('results.title', { place });
  return html`${
    data.alternatives.length
      ? alternativesView(
          l,
          data.alternatives.map((a) => a.label),
          on,
        )
      : nothing
  }
    ${empty && !guessed ? html`<p class="notice empty">${l.t('results.empty', { place })}</p>${start}` : nothing}
    ${
      data.nearby.length
        ? html`<h4>${heading}</h4>
          <ul part="results" class="results">
            ${shown.map((c, i) => resultView(l, c, i, c.slug === data.nearest?.slug, on))}
          </ul>
          ${
            hidden > 0
              ? html`<button part="button more" type="button" class="secondary more" @click=${on.more}>
                ${l.t('results.more', { n: l.n(hidden) })}
              </button>`
              : nothing
          }`
        : nothing
    }
    ${
      data.awaiting.length && !guessed
        ? html`<h4>${l.t('awaiting.title')}</h4>
          <ul part="results" class="results">
            ${data.awaiting.map((t) => awaitingView(l, t, s))}
          </ul>`
        : nothing
    }
    ${empty ? nothing : start}`;
}

/** "Did you mean…": each place a button that looks it up. */
const alternativesView = (l: Localizer, labels: readonly string[], on: FinderHandlers): TemplateResult =>
  html`<div class="notice alternatives">
    <p>${l.t('results.didYouMean')}</p>
    ${labels.map((label) => html`<button part="button" type="button" class="link" @click=${() => on.pick(label)}>${label}</button>`)}
  </div>`;

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
    <button part="button open" type="button" id="o-${i}" data-slug=${c.slug} aria-labelledby="o-${i} r-${i}" @click=${() => on.open(c.slug)}>
      ${l.t('results.open')}
    </button>
  </li>`;
}
