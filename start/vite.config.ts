import { hostedPage } from '../scripts/hosted-page-config.ts';

/** The start-a-campaign page: start/index.html + <sanctuary-start>, served at /start/. Build: `vite build --config start/vite.config.ts`. */
export default hostedPage('start');
