/**
 * The events <sanctuary-petition> fires for the host page: bubbling, composed, with a typed detail and
 * no personal data in any of them. Documented on the element with `@fires`.
 */
import type { ShareMethod } from './share-panel.ts';

/** Detail of `sanctuary-signed`: counts only, never a name, email, ZIP or phone. */
export interface SanctuarySignedDetail {
  campaign: string;
  signatureCount: number;
  goal: number;
  partner?: string;
}
/** Detail of `sanctuary-error`: an API error code, `network`, `invalid_attribute`, or `geolocation`. */
export interface SanctuaryErrorDetail {
  code: string;
  status?: number;
}
/** Detail of `sanctuary-campaign-opened`. */
export interface SanctuaryCampaignOpenedDetail {
  campaign: string;
}
/** Detail of `sanctuary-queued`: the signature is kept in the browser and will be sent later. */
export interface SanctuaryQueuedDetail {
  campaign: string;
  partner?: string;
}
/** Detail of `sanctuary-shared`: which share button was used (no link, no code). */
export interface SanctuarySharedDetail {
  campaign: string;
  method: ShareMethod;
}
export interface SanctuaryEventDetails {
  'sanctuary-signed': SanctuarySignedDetail;
  'sanctuary-error': SanctuaryErrorDetail;
  'sanctuary-campaign-opened': SanctuaryCampaignOpenedDetail;
  'sanctuary-queued': SanctuaryQueuedDetail;
  'sanctuary-shared': SanctuarySharedDetail;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'sanctuary-signed': CustomEvent<SanctuarySignedDetail>;
    'sanctuary-error': CustomEvent<SanctuaryErrorDetail>;
    'sanctuary-campaign-opened': CustomEvent<SanctuaryCampaignOpenedDetail>;
    'sanctuary-queued': CustomEvent<SanctuaryQueuedDetail>;
    'sanctuary-shared': CustomEvent<SanctuarySharedDetail>;
  }
}
