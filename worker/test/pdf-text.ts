/**
 * Reads a PDF back with pdf-lib (as a reader would open it) and returns the text drawn on each page, for
 * tests: pdf-lib writes standard-font text as hex strings of WinAnsi codes (`<…> Tj`) in Flate-compressed
 * content streams, decoded here.
 */
import { PDFArray, PDFDocument, PDFName, PDFRawStream, decodePDFRawStream, type PDFRef } from 'pdf-lib';

/** WinAnsi codes 0x80–0x9F that differ from Latin-1 (the rest of 0x20–0xFF is Latin-1). */
const WIN_ANSI: Record<number, string> = { 0x80: '€', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x96: '–', 0x97: '—', 0x85: '…' };

export async function pdfText(bytes: Uint8Array): Promise<{ doc: PDFDocument; pages: string[] }> {
  const doc = await PDFDocument.load(bytes);
  const pages = doc.getPages().map((page) => {
    const contents = page.node.get(PDFName.of('Contents'));
    const refs = contents instanceof PDFArray ? contents.asArray() : [contents];
    let text = '';
    for (const ref of refs) {
      const stream = doc.context.lookup(ref as PDFRef);
      if (!(stream instanceof PDFRawStream)) continue;
      const ops = new TextDecoder('latin1').decode(decodePDFRawStream(stream).decode());
      for (const m of ops.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) {
        const hex = m[1]!;
        let line = '';
        for (let i = 0; i < hex.length; i += 2) {
          const code = parseInt(hex.slice(i, i + 2), 16);
          line += WIN_ANSI[code] ?? String.fromCharCode(code);
        }
        text += `${line}\n`;
      }
    }
    return text;
  });
  return { doc, pages };
}
