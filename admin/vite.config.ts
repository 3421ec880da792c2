import { hostedPage } from '../scripts/hosted-page-config.ts';

/** The organizer page: admin/index.html + <sanctuary-admin>, served at /admin/. Build: `vite build --config admin/vite.config.ts`. */
export default hostedPage('admin');
