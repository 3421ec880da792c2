import { defineConfig } from 'vite';

/**
 * Library build of the widget: ONE ES module, dist/widget.js, with Lit bundled (no externals, so
 * the module exposes no globals and needs nothing else). The demo/ folder is copied into dist/ as
 * the public dir. TypeScript decorators compile as `experimentalDecorators` (from tsconfig.json):
 * standard decorators would ship raw `@property` syntax that no browser parses.
 */
export default defineConfig({
  publicDir: 'demo',
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2021',
    sourcemap: false,
    reportCompressedSize: true,
    lib: {
      entry: 'widget/src/index.ts',
      formats: ['es'],
      fileName: () => 'widget.js',
    },
    // `build.minify` alone keeps whitespace in a Vite 8 library build: minify fully here.
    rolldownOptions: {
      output: { minify: true, comments: false },
    },
  },
});
