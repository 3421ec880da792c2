/** The organizer page's entry: defines <sanctuary-admin>. */
import { SanctuaryAdmin } from './sanctuary-admin.ts';

export { SanctuaryAdmin };

if (!customElements.get('sanctuary-admin')) customElements.define('sanctuary-admin', SanctuaryAdmin);
