import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { plainText, publicName, slugify } from '../src/campaign-text.ts';
import { csvLines, csvStream, neutralise, type Cell } from '../src/csv-export.ts';

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** What a cell must read back as: itself, with a ' before anything a spreadsheet would run, also after a `;`. */
const expected = (cell: string) => {
  const n = cell.replace(/;(\s*)(?=[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20])/g, ";$1'");
  return FORMULA_START.test(n) ? `'${n}` : n;
};
const readBack = (text: string) => parse(text, { relax_column_count: true }) as string[][];

describe('csvLines', () => {
  it.each<[string, Cell[], string]>([
    ['plain cells', ['a', 'b'], '"a","b"\r\n'],
    ['a comma', ['Lopez, Jr.', 'x'], '"Lopez, Jr.","x"\r\n'],
    ['a quote', ['O"Brien'], '"O""Brien"\r\n'],
    ['a line feed', ['a\nb'], '"a\nb"\r\n'],
    ['a carriage return inside', ['a\rb'], '"a\rb"\r\n'],
    ['a formula', ['=1+2'], `"'=1+2"\r\n`],
    ['a formula with a comma', ['=SUM(A1,A2)'], `"'=SUM(A1,A2)"\r\n`],
    ['a formula with a quote', ['=HYPERLINK("x")'], `"'=HYPERLINK(""x"")"\r\n`],
    ['plus, minus, at', ['+1', '-1', '@x'], `"'+1","'-1","'@x"\r\n`],
    ['a leading tab', ['\tx'], `"'\tx"\r\n`],
    ['a leading carriage return', ['\rx'], `"'\rx"\r\n`],
    ['full-width equals', ['＝1'], `"'＝1"\r\n`],
    // A Spanish or German spreadsheet may split a cell at ";": no formula may start there either.
    ['a formula after a semicolon', ['Ana;=HYPERLINK("http://x")'], `"Ana;'=HYPERLINK(""http://x"")"\r\n`],
    ['after a semicolon and spaces', ['a; @SUM(1); -2;x'], `"a; '@SUM(1); '-2;x"\r\n`],
    ['numbers stay numbers', [42, -3], '42,-3\r\n'],
    ['null and empty', [null, '', undefined], ',"",\r\n'],
    ['Unicode', ['Ñúñez 🌵 李', 'é'], '"Ñúñez 🌵 李","é"\r\n'],
  ])('%s', (_, cells, out) => {
    expect(csvLines([cells])).toBe(out);
  });

  it('reads back as the same cells (formulas neutralised) for any strings: property', () => {
    // Any Unicode text, with the characters that matter for CSV made frequent.
    const cell = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 12 }),
      fc.string({ unit: fc.constantFrom(',', ';', '"', '\n', '\r', '=', '+', '-', '@', '\t', ' ', 'a', 'é', '🌵', "'"), maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 12 }),
    );
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }), (records) => {
        // csv-parse reads a record of one empty cell as an empty line (skipped): give such rows a second cell.
        const rows = records.map((r) => (r.length === 1 && r[0] === '' ? [...r, 'x'] : r));
        const back = readBack(csvLines(rows));
        expect(back).toEqual(rows.map((r) => r.map(expected)));
        // Nothing a spreadsheet runs: not at a cell's start, nor after any `;` (and spaces) inside it.
        for (const r of back) for (const c of r) c.split(';').forEach((part, i) => expect(i ? part.trimStart() : part).not.toMatch(/^[=+\-@\t\r]/));
      }),
      { numRuns: 300 },
    );
  });

  it('writes exactly what csv-stringify writes with escape_formulas and quoted_string, after `;` neutralisation: property', () => {
    const options = { escape_formulas: true, quoted_string: true, record_delimiter: '\r\n', quote_record_delimiter: true, eof: true } as const;
    const cell = fc.oneof(
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: fc.constantFrom(',', ';', '"', '\n', '\r', '=', '+', '-', '@', '\t', ' ', 'a', '＝', '＠', "'") }),
      fc.integer({ min: -1000, max: 1000 }),
      fc.constant(null),
    );
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 5 }), (records) => {
        expect(csvLines(records)).toBe(stringify(records.map((r) => r.map((c) => (typeof c === 'string' ? neutralise(c) : c))), options));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('csvStream', () => {
  const source = (n: number, calls: number[]) => ({
    header: ['id', 'name'],
    async page(cursor: number | null, limit: number) {
      const after = cursor ?? 0;
      calls.push(after);
      const rows = [];
      for (let id = after + 1; id <= Math.min(n, after + limit); id++) rows.push({ id, name: id % 7 ? `n${id}` : `=n${id}` });
      return rows;
    },
    cursor: (r: { id: number }) => r.id,
    cells: (r: { id: number; name: string }) => [r.id, r.name],
  });

  it('reads one page per chunk, only when the reader asks (no read-ahead)', async () => {
    const calls: number[] = [];
    const reader = csvStream(source(2500, calls), 1000).getReader();
    const first = await reader.read();
    expect(calls).toEqual([0]);
    const text = new TextDecoder().decode(first.value);
    expect(text.startsWith('"id","name"\r\n1,"n1"\r\n')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(1002);
    // Nothing more is read until the next chunk is wanted.
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toEqual([0]);
    const chunks = [first.value!];
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
    expect(calls).toEqual([0, 1000, 2000]);
    expect(chunks).toHaveLength(3);
    const all = readBack(chunks.map((c) => new TextDecoder().decode(c)).join(''));
    expect(all).toHaveLength(2501);
    expect(all[7]).toEqual(['7', "'=n7"]);
  });

  it('ends after an exact multiple of the page size, and with a header only when empty', async () => {
    const calls: number[] = [];
    expect(readBack(await new Response(csvStream(source(2000, calls), 1000)).text())).toHaveLength(2001);
    expect(calls).toEqual([0, 1000, 2000]);
    expect(await new Response(csvStream(source(0, []), 1000)).text()).toBe('"id","name"\r\n');
  });
});

describe('campaign text', () => {
  it('keeps line breaks, drops control and bidi characters, never touches markup', () => {
    expect(plainText(' a\r\nb\rc\u2028d \n\n\n\ne\u0000\u202E<b>x</b>\u0007 ')).toBe('a\nb\nc\nd\n\ne<b>x</b>');
  });
  it('writes public names as "First L."', () => {
    expect(publicName('Denise', 'lynn')).toBe('Denise L.');
    expect(publicName('José', 'ñúñez')).toBe('José Ñ.');
    expect(publicName('Ann', '𝒳yz')).toBe('Ann 𝒳.');
  });
  it('makes slugs from town names', () => {
    expect(slugify('São Paulo')).toBe('sao-paulo');
    expect(slugify('St. Louis')).toBe('st-louis');
    expect(slugify('北京')).toBe('campaign');
    fc.assert(fc.property(fc.string(), (s) => {
      expect(slugify(s)).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    }));
  });
});
