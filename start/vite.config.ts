import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The start-a-campaign page: start/index.html + <sanctuary-start>, built into dist/start/ (served by
 * Workers Static Assets at /start/). Build: `vite build --config start/vite.config.ts`.
 * Stable file names (no hashes), so rebuilding into the shared dist/ leaves no stale files behind;
 * TypeScript decorators compile as `experimentalDecorators` (from tsconfig.json).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/start/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../dist/start', import.meta.url)),
    emptyOutDir: false,
    target: 'es2021',
    sourcemap: false,
    // One module, no preload helper (which would need an inline script or a modulepreload polyfill).
    modulePreload: false,
    rolldownOptions: {
      output: {
        minify: true,
        comments: false,
        entryFileNames: 'assets/start.js',
        chunkFileNames: 'assets/[name].js',
        assetFileNames: 'assets/[name][extname]',
      },
    },
  },
});
