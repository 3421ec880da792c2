/**
 * The sign form's checks before anything is sent: the same rules the API applies, so a supporter is
 * told at once, in their language, and the server's 400 stays the exception: the rules themselves are
 * common/rules.ts, which the API's schemas use too. Part of the sign form's
 * file, loaded on demand (views/form.ts).
 */
import type { SignatureInput } from './api.ts';
import { EMAIL, EMAIL_MAX, PHONE, PHONE_MAX, ZIP, nameProblem } from '../../common/rules.ts';
import type { FormKey } from './views/form.ts';

/** The form's text fields, in the order they are shown (the first with an error gets the focus). */
export const FIELDS = ['firstName', 'lastName', 'email', 'zip', 'phone'] as const;
export type Field = (typeof FIELDS)[number];
/** A field's error: the message key, and the server's own (English) message when it sent one. */
export type FieldError = { key: FormKey; server?: string };
export type FieldErrors = Partial<Record<Field, FieldError>>;

export function validate(input: SignatureInput): FieldErrors {
  const errors: FieldErrors = {};
  const name = (f: 'firstName' | 'lastName', v: string) => {
    if (!v) errors[f] = { key: `field.${f}.required` };
    else if (nameProblem(v)) errors[f] = { key: `field.${f}.invalid` };
  };
  name('firstName', input.firstName);
  name('lastName', input.lastName);
  if (!input.email) errors.email = { key: 'field.email.required' };
  else if (input.email.length > EMAIL_MAX || !EMAIL.test(input.email)) errors.email = { key: 'field.email.invalid' };
  if (!input.zip) errors.zip = { key: 'field.zip.required' };
  else if (!ZIP.test(input.zip)) errors.zip = { key: 'field.zip.invalid' };
  if (input.phone && (input.phone.length > PHONE_MAX || !PHONE.test(input.phone))) errors.phone = { key: 'field.phone.invalid' };
  return errors;
}
