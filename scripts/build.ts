/**
 * `npm run build`: widget.js and the demo, the organizer page (/admin/) and the start page (/start/)
 * into dist/, the Worker's static assets: the same list of builds `npm start`, `npm test` and the
 * benchmarks run (BUILDS in local-worker.ts). `wrangler deploy` uploads dist/ as it is, so this build,
 * the one docs/deployment.md deploys, leaves out the demo's hostile page (a test page that attacks the
 * widget with hostile CSS and scripts: it has no place on a production origin). `npm start` and the
 * tests build with it.
 */
import { rmSync } from 'node:fs';
import { build } from './local-worker.ts';

build();
for (const file of ['hostile.html', 'hostile.css']) rmSync(new URL(`../dist/${file}`, import.meta.url), { force: true });
