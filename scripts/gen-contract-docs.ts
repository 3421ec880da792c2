/**
 * Renders the public contract of <sanctuary-petition> from custom-elements.json (the Custom Elements
 * Manifest, made from the element's JSDoc by `npm run analyze`) into docs/embed.md, between
 * `<!-- contract:NAME:start -->` and `<!-- contract:NAME:end -->` markers.
 *   tsx scripts/gen-contract-docs.ts          rewrite the tables
 *   tsx scripts/gen-contract-docs.ts --check  exit 1 if the committed tables differ
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const MANIFEST = `${ROOT}custom-elements.json`;
export const DOC = `${ROOT}docs/embed.md`;

interface Item {
  name: string;
  description?: string;
  type?: { text: string };
  default?: string;
  fieldName?: string;
  attribute?: string;
  kind?: string;
  privacy?: string;
  static?: boolean;
  readonly?: boolean;
}
interface Declaration {
  name: string;
  tagName?: string;
  customElement?: boolean;
  attributes?: Item[];
  members?: Item[];
  events?: Item[];
  cssParts?: Item[];
  cssProperties?: Item[];
}
interface Manifest {
  modules: { declarations?: Declaration[] }[];
}

const cell = (s = '') => s.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
const code = (s?: string) => (s ? `\`${s.replace(/`/g, '')}\`` : '');
const table = (head: string[], rows: string[][]) =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');

export function element(manifest: Manifest): Declaration {
  const decl = manifest.modules.flatMap((m) => m.declarations ?? []).find((d) => d.customElement && d.name === 'SanctuaryPetition');
  if (!decl) throw new Error('custom-elements.json has no SanctuaryPetition element: run `npm run analyze`.');
  return decl;
}

/** The tables, by marker name. */
export function renderTables(manifest: Manifest): Record<string, string> {
  const el = element(manifest);
  const attrs = el.attributes ?? [];
  const fields = (el.members ?? []).filter((m) => m.kind === 'field' && (!m.privacy || m.privacy === 'public') && !m.static && !m.name.startsWith('_'));
  return {
    attributes: table(
      ['Attribute', 'Property', 'Type', 'Default', 'Description'],
      attrs.map((a) => [code(a.name), code(a.fieldName), code(a.type?.text ?? 'string'), code(a.default), a.description ?? '']),
    ),
    properties: table(
      ['Property', 'Attribute', 'Type', 'Description'],
      fields.map((f) => [code(f.name), f.attribute ? code(f.attribute) : '—', code(f.type?.text ?? 'string'), f.description ?? '']),
    ),
    events: table(['Event', 'Description'], (el.events ?? []).map((e) => [code(e.name), e.description ?? ''])),
    parts: table(['Part', 'Description'], (el.cssParts ?? []).map((p) => [code(p.name), p.description ?? ''])),
    'css-properties': table(['Custom property', 'Description'], (el.cssProperties ?? []).map((p) => [code(p.name), p.description ?? ''])),
  };
}

/** The document with every marked block replaced; throws if a marker is missing. */
export function renderDoc(doc: string, manifest: Manifest): string {
  let out = doc;
  for (const [name, body] of Object.entries(renderTables(manifest))) {
    const re = new RegExp(`(<!-- contract:${name}:start -->)[\\s\\S]*?(<!-- contract:${name}:end -->)`);
    if (!re.test(out)) throw new Error(`docs/embed.md lacks the markers for "${name}".`);
    out = out.replace(re, (_m, start: string, end: string) => `${start}\n${body}\n${end}`);
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
  const doc = readFileSync(DOC, 'utf8');
  const next = renderDoc(doc, manifest);
  if (process.argv.includes('--check')) {
    if (next !== doc) {
      console.error('docs/embed.md is out of date with custom-elements.json: run `npm run docs:contract`.');
      process.exit(1);
    }
  } else if (next !== doc) {
    writeFileSync(DOC, next);
    console.log('docs/embed.md: contract tables updated.');
  }
}
