/**
 * The bundle entry (dist/widget.js): defines <sanctuary-petition>. Loading the script twice (two
 * partner snippets on one page) is harmless: the second copy sees the tag taken and does nothing.
 * No globals besides the element.
 */
import { SanctuaryPetition } from './sanctuary-petition.ts';

export { SanctuaryPetition };
export type {
  SanctuaryCampaignOpenedDetail,
  SanctuaryErrorDetail,
  SanctuaryEventDetails,
  SanctuarySignedDetail,
} from './sanctuary-petition.ts';

if (typeof customElements !== 'undefined' && !customElements.get('sanctuary-petition')) {
  customElements.define('sanctuary-petition', SanctuaryPetition);
}
