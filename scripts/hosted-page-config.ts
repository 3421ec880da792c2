import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';

/**
 * Build settings of a page the Worker hosts beside the API (admin/, start/): `<name>/index.html` and
 * its module, built into dist/<name>/ and served by Workers Static Assets at /<name>/. Stable file
 * names (no hashes), so rebuilding into the shared dist/ leaves no stale files behind; TypeScript
 * decorators compile as `experimentalDecorators` (from tsconfig.json).
 */
export function hostedPage(name: 'admin' | 'start'): UserConfig {
  return defineConfig({
    root: fileURLToPath(new URL(`../${name}`, import.meta.url)),
    base: `/${name}/`,
    publicDir: false,
    logLevel: 'warn',
    build: {
      outDir: fileURLToPath(new URL(`../dist/${name}`, import.meta.url)),
      emptyOutDir: false,
      target: 'es2021',
      sourcemap: false,
      // One module, no preload helper (which would need an inline script or a modulepreload polyfill).
      modulePreload: false,
      rolldownOptions: {
        output: {
          minify: true,
          comments: false,
          entryFileNames: `assets/${name}.js`,
          chunkFileNames: 'assets/[name].js',
          assetFileNames: 'assets/[name][extname]',
        },
      },
    },
  });
}
