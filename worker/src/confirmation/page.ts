/**
 * The page a confirmation link opens (GET) and the one its button's POST answers. Plain HTML served by
 * the Worker: no script at all, one stylesheet allowed by its hash, the form posts to this same URL.
 * A link scanner that follows the GET confirms nothing; only a person pressing the button does.
 */
import { TEXTS, escapeHtml, langOf, type Subject } from './texts.ts';

export const PAGE_CSS =
  'body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f6f4;color:#1d1d1b}' +
  'main{max-width:32rem;margin:3rem auto;padding:1.5rem;background:#fff;border:1px solid #ddd;border-radius:8px}' +
  'h1{font-size:1.4rem;margin-top:0}button{font:inherit;padding:.7rem 1.2rem;border:0;border-radius:6px;background:#1a5fb4;color:#fff;cursor:pointer}' +
  'button:focus-visible{outline:3px solid #f5c211;outline-offset:2px}';
/** 'sha256-…' of PAGE_CSS (a test checks it): the only style the page's CSP allows. */
export const PAGE_CSS_HASH = "'sha256-U1LEK3TwhuIvGg3mIvB0yrwVUXvcs5zi5LPBuawhJf0='";

/** The page's Content-Security-Policy: nothing runs, nothing loads, the form posts only to this origin. */
export const PAGE_CSP = `default-src 'none'; style-src ${PAGE_CSS_HASH}; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;

function page(lang: string, title: string, body: string) {
  return `<!doctype html>
<html lang="${langOf(lang)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title><style>${PAGE_CSS}</style></head>
<body><main>
<h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>`;
}

/** GET of the link: what will be confirmed, and the button (a form POST to the same URL). */
export function confirmPage(lang: string, subject: Subject, alreadyConfirmed: boolean) {
  const t = TEXTS[langOf(lang)];
  const body = alreadyConfirmed
    ? `<p>${escapeHtml(t.pageIntro(subject))}</p><p role="status">${escapeHtml(t.alreadyConfirmed)}</p>`
    : `<p>${escapeHtml(t.pageIntro(subject))}</p>
<form method="post"><button type="submit">${escapeHtml(t.button(subject))}</button></form>`;
  return page(lang, t.pageTitle(subject), body);
}

/** After the POST. */
export function confirmedPage(lang: string, subject: Subject, first: boolean) {
  const t = TEXTS[langOf(lang)];
  return page(lang, t.pageTitle(subject), `<p role="status">${escapeHtml(first ? t.confirmed(subject) : t.alreadyConfirmed)}</p>`);
}

/** An unknown or expired link. */
export function invalidPage(lang: string) {
  const t = TEXTS[langOf(lang)];
  return page(lang, t.invalidTitle, `<p>${escapeHtml(t.invalid)}</p>`);
}
