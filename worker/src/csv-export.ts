/**
 * CSV for organizers, streamed: rows are read from D1 one page at a time (keyset pagination) and
 * written as they come, so an export of a million signatures never sits in memory whole.
 * Cells are escaped by csv-stringify (RFC 4180 quoting; `escape_formulas` puts a `'` before a
 * cell that starts with = + - @, a tab or a carriage return, so no spreadsheet runs it).
 */
import { stringify } from 'csv-stringify/sync';

export type Cell = string | number | null | undefined;

const OPTIONS = { escape_formulas: true, record_delimiter: '\r\n', eof: true } as const;

/** CSV text of these records (each line ends with CRLF). */
export const csvLines = (records: Cell[][]): string => stringify(records, OPTIONS);

export interface CsvSource<T> {
  header: string[];
  /** The next page of rows after the row whose id is `afterId` (0 at the start), in id order. */
  page(afterId: number, limit: number): Promise<T[]>;
  id(row: T): number;
  cells(row: T): Cell[];
}

/**
 * A byte stream of the header and every row of `source`. Pull-based with no read-ahead
 * (highWaterMark 0): a page is read from the database only when the reader wants more, so a slow
 * download holds back the queries instead of filling memory.
 */
export function csvStream<T>(source: CsvSource<T>, pageSize = 1000, afterId = 0): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after = afterId;
  let header = true;
  let done = false;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (done) return;
        const rows = await source.page(after, pageSize);
        let text = header ? csvLines([source.header]) : '';
        header = false;
        if (rows.length) {
          text += csvLines(rows.map((r) => source.cells(r)));
          after = source.id(rows.at(-1)!);
        }
        if (text) controller.enqueue(encoder.encode(text));
        if (rows.length < pageSize) {
          done = true;
          controller.close();
        }
      },
    },
    { highWaterMark: 0 },
  );
}
