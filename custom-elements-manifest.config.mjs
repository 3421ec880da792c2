// Custom Elements Manifest (`npm run analyze` → custom-elements.json): the public contract of
// <sanctuary-petition>, read from the JSDoc (@attr, @fires, @csspart, @cssproperty) and the Lit
// decorators. scripts/gen-contract-docs.ts renders its tables into docs/embed.md.
export default {
  globs: ['widget/src/sanctuary-petition.ts'],
  outdir: '.',
  litelement: true,
  // package.json's "customElements" field is set by hand (a run with --outdir must not rewrite it).
  packagejson: false,
  plugins: [
    {
      // The analyzer also reads `new CustomEvent(type, …)` inside the emit() helper as an event named
      // "type": only the documented sanctuary-* events are part of the contract.
      name: 'sanctuary-events-only',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules ?? []) {
          for (const decl of mod.declarations ?? []) {
            if (decl.events) decl.events = decl.events.filter((e) => e.name?.startsWith('sanctuary-'));
          }
        }
      },
    },
  ],
};
