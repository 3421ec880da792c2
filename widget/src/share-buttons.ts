/**
 * The share buttons after signing: each opens a site's own share form (or the mail app) with the
 * link filled in. Used by the share panel (share-panel.ts).
 */
export type ShareTarget = 'email' | 'whatsapp' | 'facebook' | 'x' | 'bluesky';
export const SHARE_TARGETS: readonly ShareTarget[] = ['email', 'whatsapp', 'facebook', 'x', 'bluesky'];
/** The apps' own names (the same in every language). */
export const SHARE_NAMES = { whatsapp: 'WhatsApp', facebook: 'Facebook', x: 'X', bluesky: 'Bluesky' } as const;

/** The address that opens a site's own share form (or the mail app) with the link filled in. */
export function shareHref(target: ShareTarget, url: string, text: string, subject: string): string {
  const e = encodeURIComponent;
  switch (target) {
    case 'email':
      return `mailto:?subject=${e(subject)}&body=${e(`${text}\n\n${url}`)}`;
    case 'whatsapp':
      return `https://wa.me/?text=${e(`${text} ${url}`)}`;
    case 'facebook':
      return `https://www.facebook.com/sharer/sharer.php?u=${e(url)}`;
    case 'x':
      return `https://x.com/intent/tweet?text=${e(text)}&url=${e(url)}`;
    case 'bluesky':
      return `https://bsky.app/intent/compose?text=${e(`${text} ${url}`)}`;
  }
}
