/** The views around the content: loading skeleton, configuration error, load error. */
import { html, type TemplateResult } from 'lit';
import { errorKey, type Localizer } from '../i18n/index.ts';
import { backButton } from './parts.ts';

export const skeletonView = (): TemplateResult =>
  html`<div class="skeleton" aria-hidden="true">
    <div class="bone title"></div>
    <div class="bone"></div>
    <div class="bone short"></div>
    <div class="bone block"></div>
    <div class="bone tall"></div>
    <div class="bone tall"></div>
  </div>`;

export const invalidView = (l: Localizer): TemplateResult => html`<div part="error" class="error"><p>${l.t('error.config')}</p></div>`;

export const errorView = (l: Localizer, state: { code: string }, on: { retry: () => void; back?: () => void }): TemplateResult =>
  html`<div part="error" class="error">
    <h2 part="title" id="title" tabindex="-1">${l.t('error.title')}</h2>
    <p>${l.t(errorKey(state.code))}</p>
    <button part="button" type="button" @click=${on.retry}>${l.t('retry')}</button>
    ${backButton(l, on.back)}
  </div>`;
