/**
 * English messages: the reference table. Every other language is typed against these keys
 * (`Messages`), so a missing or extra key is a compile error. `{name}` marks a placeholder;
 * an object is a plural table chosen with `Intl.PluralRules`.
 */
const en = {
  'status.loading': 'Loading the petition…',
  'status.searching': 'Searching…',
  'status.locating': 'Finding your location…',
  retry: 'Try again',

  'error.title': 'Something went wrong',
  'error.config': 'This petition cannot be shown here yet. The site owner needs to check its embed code.',
  'error.network': 'We couldn’t reach the petition server. Check your connection and try again.',
  'error.not_found': 'We couldn’t find this petition. It may have been moved or closed.',
  'error.place_not_found': 'We couldn’t find that place. Try a 5-digit ZIP code or “City, ST”.',
  'error.rate_limited': 'Too many tries in a short time. Please wait a minute and try again.',
  'error.validation_failed': 'Please check the highlighted fields.',
  'error.forbidden_origin': 'This site is not yet allowed to collect signatures for this petition.',
  'error.generic': 'Something went wrong on our side. Please try again.',
  'geo.denied': 'Location access was not allowed. Enter your ZIP code or city instead.',
  'geo.unavailable': 'We couldn’t get your location. Enter your ZIP code or city instead.',

  'effort.progress': {
    one: '{count} of {goal} signatures across {campaigns} local campaign',
    other: '{count} of {goal} signatures across {campaigns} local campaigns',
  },
  'finder.title': 'Find your local campaign',
  'finder.label': 'ZIP code or city',
  'finder.placeholder': '60076',
  'finder.submit': 'Find',
  'finder.locate': 'Use my location',
  'finder.required': 'Enter a ZIP code or a city.',
  'results.title': 'Local campaigns near {place}',
  'results.empty': 'No local campaign near {place} yet.',
  'results.count': { one: '{n} local campaign near {place}.', other: '{n} local campaigns near {place}.' },
  'results.others': 'The closest local campaigns elsewhere',
  'results.open': 'Read and sign',
  'results.closest': 'Closest',
  'results.didYouMean': 'Did you mean another place?',
  'results.some': 'Local campaigns to sign',
  'results.more': 'Show more local campaigns ({n})',
  'results.notYours': 'Not your town?',
  'awaiting.title': 'Officials with no local campaign yet',
  'awaiting.none': 'No campaign for {target} yet.',
  'awaiting.start': 'Start one',
  'start.here': 'Start a local campaign for {place}',

  'campaign.progress': '{count} of {goal} Signatures',
  'campaign.creator': 'Created by {name}',
  'campaign.target': 'To: {target}',
  'campaign.back': 'Back to all campaigns',
  'campaign.signers': 'Recent signers',
  'body.more': 'Read more',
  'body.less': 'Show less',
  'distance.text': '{distance} mi',

  'form.submitting': 'Signing…',
  'form.errors': { one: '{n} field needs your attention.', other: '{n} fields need your attention.' },

  'thanks.title': 'Thanks for signing!',
  'thanks.checkEmail': 'Check your email to confirm: we sent a link to the address you gave, unless it is confirmed already.',

  'delivered.body': 'Your signature saved earlier on this device has been delivered. Thank you for signing!',
  'queued.title': 'Your signature is saved',
  'queued.body':
    'We couldn’t reach the server, so your signature is kept on this device. It will be sent by itself when the connection is back, now or the next time you open a page with this petition.',
  'queued.privacy': 'It stays on this device only until it is delivered.',
};

export type Plural = { one: string; other: string; [form: string]: string };
export type Messages = { readonly [K in keyof typeof en]: (typeof en)[K] extends string ? string : Plural };
export default en as Messages;
