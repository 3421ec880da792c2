/**
 * The sign form: names, email, ZIP, optional phone, consents, the honeypot, and the errors of the
 * last attempt (per field and for the whole form). A field's server message is shown in English only;
 * other languages get the translated one.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { SigningState } from '../controllers/signing.ts';
import type { Localizer } from '../i18n/index.ts';
import type { Field } from '../validate.ts';

export interface FormState {
  signing: SigningState;
  /** The valid partner code (the consent to hear from it is offered only then). */
  partner?: string;
}

export interface FormHandlers {
  sign(e: SubmitEvent): void;
}

function field(
  l: Localizer,
  s: FormState,
  name: Field,
  type: 'text' | 'email' | 'tel',
  autocomplete: string,
  inputmode?: 'numeric' | 'tel' | 'email',
): TemplateResult {
  const err = s.signing._errors[name];
  const required = name !== 'phone';
  const message = err ? (l.lang === 'en' && err.server ? err.server : l.t(err.key)) : '';
  return html`<div part="field" class="field">
    <label for="f-${name}">
      ${l.t(`form.${name}`)} ${required ? nothing : html`<span class="optional">${l.t('form.optional')}</span>`}
    </label>
    <input
      part="input"
      id="f-${name}"
      name=${name}
      type=${type}
      autocomplete=${autocomplete}
      inputmode=${inputmode ?? nothing}
      maxlength=${name === 'email' ? 254 : name === 'phone' || name === 'zip' ? 32 : 80}
      ?required=${required}
      aria-invalid=${err ? 'true' : 'false'}
      aria-describedby=${err ? `f-${name}-error` : nothing}
    />
    ${err ? html`<p class="field-error" id="f-${name}-error">${message}</p>` : nothing}
  </div>`;
}

export function formView(l: Localizer, s: FormState, on: FormHandlers): TemplateResult {
  const partner = s.partner;
  const busy = s.signing._busy;
  const formError = s.signing._formError;
  return html`<form part="form" class="form" novalidate aria-labelledby="form-title" @submit=${on.sign}>
    <h3 id="form-title">${l.t('form.title')}</h3>
    <div class="fields two">
      ${field(l, s, 'firstName', 'text', 'given-name')} ${field(l, s, 'lastName', 'text', 'family-name')}
    </div>
    <div class="fields">
      ${field(l, s, 'email', 'email', 'email', 'email')} ${field(l, s, 'zip', 'text', 'postal-code', 'numeric')}
      ${field(l, s, 'phone', 'tel', 'tel', 'tel')}
    </div>
    <label class="check"><input type="checkbox" name="consentEffort" /><span>${l.t('form.consentEffort')}</span></label>
    ${partner
      ? html`<label class="check"
          ><input type="checkbox" name="consentPartner" /><span>${l.t('form.consentPartner', { partner })}</span></label
        >`
      : nothing}
    <p class="muted">${l.t('form.privacy')}</p>
    <div class="sr-only" aria-hidden="true">
      <label>${l.t('form.website')} <input name="website" type="text" tabindex="-1" autocomplete="off" /></label>
    </div>
    ${formError ? html`<p part="error" class="form-error">${l.t(formError)}</p>` : nothing}
    <button part="button submit" class="submit" type="submit" ?disabled=${busy} aria-busy=${busy ? 'true' : 'false'}>
      ${busy ? l.t('form.submitting') : l.t('form.submit')}
    </button>
  </form>`;
}
