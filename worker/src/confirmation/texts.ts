/**
 * The words of the confirmation email and page, in the languages the widget speaks (en, es).
 * Plain strings and functions; every value put into HTML goes through `escapeHtml`.
 */
export type Lang = 'en' | 'es';

export const langOf = (value: string | null | undefined): Lang => (value === 'es' ? 'es' : 'en');

/** What an email or a page says about the thing to confirm. */
export interface Subject {
  kind: 'signature' | 'campaign';
  firstName: string;
  /** The campaign's title. */
  title: string;
  /** "Mayor Nancy Rotering". */
  official: string;
  /** "Skokie, IL". */
  place: string;
}

interface Texts {
  subject: (s: Subject) => string;
  greeting: (name: string) => string;
  intro: (s: Subject) => string;
  action: string;
  ignore: string;
  expiry: string;
  pageTitle: (s: Subject) => string;
  pageIntro: (s: Subject) => string;
  button: (s: Subject) => string;
  confirmed: (s: Subject) => string;
  alreadyConfirmed: string;
  invalidTitle: string;
  invalid: string;
}

export const TEXTS: Record<Lang, Texts> = {
  en: {
    subject: (s) => (s.kind === 'signature' ? `Confirm your signature: ${s.title}` : `Confirm your new campaign: ${s.title}`),
    greeting: (name) => `Hi ${name},`,
    intro: (s) =>
      s.kind === 'signature'
        ? `Thank you for signing “${s.title}”, to ${s.official} (${s.place}). Please confirm that it was you, so that your signature can be shown to be a real person’s.`
        : `Thank you for starting “${s.title}”, to ${s.official} (${s.place}). Please confirm that it was you.`,
    action: 'Open this link and press the button “Confirm” on the page it opens:',
    ignore: 'If it was not you, ignore this email: nothing more will happen.',
    expiry: 'The link works for 30 days.',
    pageTitle: (s) => (s.kind === 'signature' ? 'Confirm your signature' : 'Confirm your campaign'),
    pageIntro: (s) =>
      s.kind === 'signature' ? `You signed “${s.title}”, to ${s.official} (${s.place}).` : `You started “${s.title}”, to ${s.official} (${s.place}).`,
    button: (s) => (s.kind === 'signature' ? 'Confirm my signature' : 'Confirm my campaign'),
    confirmed: (s) => (s.kind === 'signature' ? 'Thank you: your signature is confirmed.' : 'Thank you: your campaign is confirmed.'),
    alreadyConfirmed: 'This was already confirmed. Thank you!',
    invalidTitle: 'This link does not work',
    invalid: 'This confirmation link is not valid or has expired (links work for 30 days). Signing again sends a new one.',
  },
  es: {
    subject: (s) => (s.kind === 'signature' ? `Confirma tu firma: ${s.title}` : `Confirma tu nueva campaña: ${s.title}`),
    greeting: (name) => `Hola, ${name}:`,
    intro: (s) =>
      s.kind === 'signature'
        ? `Gracias por firmar «${s.title}», dirigida a ${s.official} (${s.place}). Confirma que fuiste tú, para que tu firma cuente como la de una persona real.`
        : `Gracias por iniciar «${s.title}», dirigida a ${s.official} (${s.place}). Confirma que fuiste tú.`,
    action: 'Abre este enlace y pulsa el botón «Confirmar» en la página que se abre:',
    ignore: 'Si no fuiste tú, ignora este correo: no pasará nada más.',
    expiry: 'El enlace funciona durante 30 días.',
    pageTitle: (s) => (s.kind === 'signature' ? 'Confirma tu firma' : 'Confirma tu campaña'),
    pageIntro: (s) =>
      s.kind === 'signature' ? `Firmaste «${s.title}», dirigida a ${s.official} (${s.place}).` : `Iniciaste «${s.title}», dirigida a ${s.official} (${s.place}).`,
    button: (s) => (s.kind === 'signature' ? 'Confirmar mi firma' : 'Confirmar mi campaña'),
    confirmed: (s) => (s.kind === 'signature' ? 'Gracias: tu firma está confirmada.' : 'Gracias: tu campaña está confirmada.'),
    alreadyConfirmed: 'Ya estaba confirmado. ¡Gracias!',
    invalidTitle: 'Este enlace no funciona',
    invalid: 'Este enlace de confirmación no es válido o ha caducado (los enlaces funcionan 30 días). Si firmas de nuevo, te enviamos otro.',
  },
};

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
