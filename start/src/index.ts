/** The hosted start-a-campaign page's entry: defines <sanctuary-start>. */
import { SanctuaryStart } from './sanctuary-start.ts';

export { SanctuaryStart };

if (!customElements.get('sanctuary-start')) customElements.define('sanctuary-start', SanctuaryStart);
