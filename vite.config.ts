import { readFileSync } from 'node:fs';
import { transform } from 'esbuild';
import { defineConfig, type Plugin } from 'vite';

/*
 * The build's own rules, each a plugin below (written down for contributors in docs/contributing.md and
 * checked by e2e/build-rules.test.ts): `_name` members are renamed (keep them out of string reads and
 * out of what an on-demand file gets from widget.js); html`…` templates are collapsed (no text whose line
 * breaks matter); css`…` in *.styles.ts is minified; the share panel and the sign form are separate files
 * loaded with import(), pinned along with widget-<version>.js.
 */
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * Minifies the CSS inside Lit's css`…` templates of *.styles.ts files (comments out, whitespace
 * collapsed): Vite leaves template literals as written. Only whitespace after ":" is removed, never
 * before (".a :focus" is a descendant selector).
 */
function minifyLitCss(): Plugin {
  const minify = (css: string) =>
    css
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\s+/g, ' ')
      .replace(/\s*([{};,>])\s*/g, '$1')
      .replace(/:\s+/g, ':')
      .replace(/;}/g, '}')
      .trim();
  return {
    name: 'minify-lit-css',
    transform(code, id) {
      if (!id.endsWith('.styles.ts')) return null;
      return code.replace(/css`((?:\\[\s\S]|[^`\\$])*)`/g, (_, body: string) => `css\`${minify(body)}\``);
    },
  };
}

/**
 * Collapses the line breaks and indentation inside Lit's html`…` templates (Vite keeps template literals
 * as written). After full minification, a line break can only stand inside a template literal, and the
 * widget's templates are all HTML (no <pre>, no <textarea>), where a run of whitespace renders as one
 * space: so each run becomes one space. Saves ~150 B gzip.
 */
function collapseTemplateWhitespace(): Plugin {
  return {
    name: 'collapse-template-whitespace',
    renderChunk(code) {
      return { code: code.replace(/\n\s+/g, ' '), map: null };
    },
  };
}

/**
 * Shortens the names of internal members. Vite's minifier renames variables but never properties; the
 * widget's internal members (private fields and methods, and what the element shares with its
 * controllers) are spelled `_name` (Lit's convention), and no other property in the bundle starts with
 * "_" and a letter (Lit's own internals are `_$…`, already short), so every `_name` can be renamed to a
 * short one across the whole file, avoiding every property name in it. Reactive state declared in
 * `static properties` is renamed with its key, so Lit sees one name. Not for a member read by string
 * (`changed.has('…')`): such a member keeps a plain name. Each output file is renamed on its own: what
 * a file loaded on demand gets from widget.js (the share panel's `ShareHost`) must use plain names.
 * Saves ~400 B gzip. Guarded by widget/test/bundle.test.ts, which signs and shares with the built files.
 */
function manglePrivateMembers(): Plugin {
  return {
    name: 'mangle-private-members',
    async renderChunk(code) {
      const out = await transform(code, { mangleProps: /^_[a-z]/, minifyWhitespace: true, format: 'esm', target: 'es2021' });
      return { code: out.code, map: null };
    },
  };
}

/**
 * Emits the bundle twice: dist/widget.js (the current major, short cache) and
 * dist/widget-<version>.js (immutable, for partners who pin a version). See demo/_headers. The files
 * widget.js loads on demand (dist/widget-<name>-<hash>.js) get a pinned twin too, that imports the
 * pinned widget-<version>.js, so a pinned page never loads the current major's code.
 */
function versionedCopy(): Plugin {
  const pin = (name: string) => (name === 'widget.js' ? `widget-${version}.js` : name.replace(/^widget-/, `widget-${version}-`));
  const repoint = (code: string) => code.replace(/(["'`])\.\/(widget[\w.-]*\.js)\1/g, (_, q: string, n: string) => `${q}./${pin(n)}${q}`);
  return {
    name: 'versioned-copy',
    generateBundle(_, bundle) {
      if (bundle['widget.js']?.type !== 'chunk') return;
      for (const chunk of Object.values(bundle)) {
        if (chunk.type === 'chunk' && /^widget(?:\.js$|-)/.test(chunk.fileName)) {
          this.emitFile({ type: 'asset', fileName: pin(chunk.fileName), source: repoint(chunk.code) });
        }
      }
    },
  };
}

/**
 * Library build of the widget: ONE ES module, dist/widget.js, with Lit bundled (no externals, so
 * the module exposes no globals and needs nothing else). The demo/ folder is copied into dist/ as
 * the public dir. TypeScript decorators compile as `experimentalDecorators` (from tsconfig.json):
 * standard decorators would ship raw `@property` syntax that no browser parses.
 */
export default defineConfig({
  publicDir: 'demo',
  plugins: [minifyLitCss(), collapseTemplateWhitespace(), manglePrivateMembers(), versionedCopy()],
  build: {
    outDir: 'dist',
    // The widget build runs first (the admin page builds into dist/admin after it): stale chunks go.
    emptyOutDir: true,
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
      preserveEntrySignatures: 'allow-extension',
      // widget.js is the whole widget (no chunks: e2e/size.test.ts fails on an import). A chunk, should
      // one ever be added, would be served with CORS by the /widget-* rule in demo/_headers.
      output: { minify: true, comments: false, chunkFileNames: 'widget-[name]-[hash].js' },
    },
  },
});
