/**
 * The sign form, loaded on demand (a file of its own in the build, fetched with the campaign it is
 * for): names, email, ZIP, optional phone, consents, the honeypot, and the errors of the last attempt
 * (per field and for the whole form). A field's server message is shown in English only; other
 * languages get the translated one. Its texts are here, in both languages, typed like i18n/.
 *
 * What it reads from widget.js has plain names only (the build renames `_` members file by file).
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Localizer } from '../i18n/index.ts';
import type { Field, FieldErrors } from '../validate.ts';

export { FIELDS, validate } from '../validate.ts';

const en = {
  'form.title': 'Sign this petition',
  'form.firstName': 'First name',
  'form.lastName': 'Last name',
  'form.email': 'Email',
  'form.zip': 'ZIP code',
  'form.phone': 'Phone',
  'form.optional': '(optional)',
  'form.consentEffort': 'Keep me updated about this campaign',
  'form.consentPartner': '…and from {partner}',
  'form.privacy': 'Only your first name and last initial are shown publicly. We never show your email.',
  'form.website': 'Leave this field empty',
  'form.submit': 'Sign',
  'field.firstName.required': 'Enter your first name.',
  'field.firstName.invalid': 'Check your first name: letters only, no links.',
  'field.lastName.required': 'Enter your last name.',
  'field.lastName.invalid': 'Check your last name: letters only, no links.',
  'field.email.required': 'Enter your email address.',
  'field.email.invalid': 'Enter a valid email address, like name@example.com.',
  'field.zip.required': 'Enter your ZIP code.',
  'field.zip.invalid': 'Enter a 5-digit ZIP code.',
  'field.phone.invalid': 'Enter a valid phone number, or leave it empty.',
};
/** Keys of the form's messages; `es` is checked against `en` (a missing key is a compile error). */
export type FormKey = keyof typeof en;
const es: Record<FormKey, string> = {
  'form.title': 'Firma esta petición',
  'form.firstName': 'Nombre',
  'form.lastName': 'Apellido',
  'form.email': 'Correo electrónico',
  'form.zip': 'Código postal',
  'form.phone': 'Teléfono',
  'form.optional': '(opcional)',
  'form.consentEffort': 'Quiero recibir novedades sobre esta campaña',
  'form.consentPartner': '…y también de {partner}',
  'form.privacy': 'Solo se muestran públicamente tu nombre y la inicial de tu apellido. Nunca mostramos tu correo.',
  'form.website': 'Deja este campo vacío',
  'form.submit': 'Firmar',
  'field.firstName.required': 'Escribe tu nombre.',
  'field.firstName.invalid': 'Revisa tu nombre: solo letras, sin enlaces.',
  'field.lastName.required': 'Escribe tu apellido.',
  'field.lastName.invalid': 'Revisa tu apellido: solo letras, sin enlaces.',
  'field.email.required': 'Escribe tu correo electrónico.',
  'field.email.invalid': 'Escribe un correo válido, como nombre@ejemplo.com.',
  'field.zip.required': 'Escribe tu código postal.',
  'field.zip.invalid': 'Escribe un código postal de 5 dígitos.',
  'field.phone.invalid': 'Escribe un teléfono válido o déjalo en blanco.',
};
const TEXT: Readonly<Record<'en' | 'es', Readonly<Record<FormKey, string>>>> = { en, es };

/** A form message in the widget's language, `{partner}` filled. */
export const ft = (l: Localizer, key: FormKey, partner = ''): string => TEXT[l.lang][key].replace('{partner}', partner);

/** What the form shows of the signing (plain names: see above). */
export interface FormState {
  /** A signature is being sent. */
  busy: boolean;
  errors: FieldErrors;
  /** A message for the whole form (not one field's): its text. */
  formError?: string | undefined;
  /** The valid partner code (the consent to hear from it is offered only then). */
  partner?: string | undefined;
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
  const err = s.errors[name];
  const required = name !== 'phone';
  const message = err ? (l.lang === 'en' && err.server ? err.server : ft(l, err.key)) : '';
  return html`<div part="field" class="field">
    <label for="f-${name}">
      ${ft(l, `form.${name}`)} ${required ? nothing : html`<span class="optional">${ft(l, 'form.optional')}</span>`}
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
  const busy = s.busy;
  const formError = s.formError;
  return html`<form part="form" class="form" novalidate aria-labelledby="form-title" @submit=${on.sign}>
    <h3 id="form-title">${ft(l, 'form.title')}</h3>
    <div class="fields two">
      ${field(l, s, 'firstName', 'text', 'given-name')} ${field(l, s, 'lastName', 'text', 'family-name')}
    </div>
    <div class="fields">
      ${field(l, s, 'email', 'email', 'email', 'email')} ${field(l, s, 'zip', 'text', 'postal-code', 'numeric')}
      ${field(l, s, 'phone', 'tel', 'tel', 'tel')}
    </div>
    <label class="check"><input type="checkbox" name="consentEffort" /><span>${ft(l, 'form.consentEffort')}</span></label>
    ${
      partner
        ? html`<label class="check"
          ><input type="checkbox" name="consentPartner" /><span>${ft(l, 'form.consentPartner', partner)}</span></label
        >`
        : nothing
    }
    <p class="muted">${ft(l, 'form.privacy')}</p>
    <div class="sr-only" aria-hidden="true">
      <label>${ft(l, 'form.website')} <input name="website" type="text" tabindex="-1" autocomplete="off" /></label>
    </div>
    ${formError ? html`<p part="error" class="form-error">${formError}</p>` : nothing}
    <button part="button submit" class="submit" type="submit" ?disabled=${busy} aria-busy=${busy ? 'true' : 'false'}>
      ${busy ? l.t('form.submitting') : ft(l, 'form.submit')}
    </button>
  </form>`;
}
