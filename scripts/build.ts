/**
 * `npm run build`: widget.js and the demo, the organizer page (/admin/) and the start page (/start/)
 * into dist/, the Worker's static assets: the same list of builds `npm start`, `npm test` and the
 * benchmarks run (BUILDS in local-worker.ts).
 */
import { build } from './local-worker.ts';

build();
