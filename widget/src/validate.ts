/**
 * The sign form's checks before anything is sent: the same rules the API applies, so a supporter is
 * told at once, in their language, and the server's 400 stays the exception.
 */
import type { SignatureInput } from './api.ts';
import type { TextKey } from './i18n/index.ts';

const NAME_REJECT = /^[=+\-@]|https?:\/\/|www\.|[<>]|[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ZIP = /^\d{5}(?:-?\d{4})?$/;
const PHONE = /^\+?[0-9 ().-]{7,}$/;

/** The form's text fields, in the order they are shown (the first with an error gets the focus). */
export const FIELDS = ['firstName', 'lastName', 'email', 'zip', 'phone'] as const;
export type Field = (typeof FIELDS)[number];
/** A field's error: the message key, and the server's own (English) message when it sent one. */
export type FieldError = { key: TextKey; server?: string };
export type FieldErrors = Partial<Record<Field, FieldError>>;

export function validate(input: SignatureInput): FieldErrors {
  const errors: FieldErrors = {};
  const name = (f: 'firstName' | 'lastName', v: string) => {
    if (!v) errors[f] = { key: `field.${f}.required` };
    else if (v.length > 80 || NAME_REJECT.test(v)) errors[f] = { key: `field.${f}.invalid` };
  };
  name('firstName', input.firstName);
  name('lastName', input.lastName);
  if (!input.email) errors.email = { key: 'field.email.required' };
  else if (input.email.length > 254 || !EMAIL.test(input.email)) errors.email = { key: 'field.email.invalid' };
  if (!input.zip) errors.zip = { key: 'field.zip.required' };
  else if (!ZIP.test(input.zip)) errors.zip = { key: 'field.zip.invalid' };
  if (input.phone && (input.phone.length > 32 || !PHONE.test(input.phone))) errors.phone = { key: 'field.phone.invalid' };
  return errors;
}
