/**
 * The petition as delivered to its official: a PDF built in the Worker with pdf-lib. Title, the official,
 * the petition's text, the counts (all / confirmed), then the signers (name, ZIP, date), paged with a
 * running header and "Page n of N", in the campaign's language (English or Spanish).
 */
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';

export type DeliveryLang = 'en' | 'es';

export const DELIVERY_TEXT = {
  en: {
    to: 'To',
    petition: 'The petition',
    counts: (all: number, confirmed: number) => `${all.toLocaleString('en-US')} signatures in all; ${confirmed.toLocaleString('en-US')} confirmed by email.`,
    listed: (n: number, scope: 'confirmed' | 'all') =>
      scope === 'confirmed' ? `Listed below: the ${n.toLocaleString('en-US')} signers who confirmed their email.` : `Listed below: all ${n.toLocaleString('en-US')} signers.`,
    signers: 'Signers',
    name: 'Name',
    zip: 'ZIP code',
    date: 'Signed on',
    page: (n: number, of: number) => `Page ${n} of ${of}`,
    none: 'No signer to list yet.',
    date_format: 'en-US',
    subject: (title: string) => `Petition: ${title}`,
    mail: (official: string, title: string, count: number) =>
      `Dear ${official},\n\nAttached is the petition "${title}", signed by ${count.toLocaleString('en-US')} people in your community.\n\nThank you for your attention.`,
    delivered: (official: string) => `Delivered to ${official}`,
  },
  es: {
    to: 'Para',
    petition: 'La petición',
    counts: (all: number, confirmed: number) => `${all.toLocaleString('es-US')} firmas en total; ${confirmed.toLocaleString('es-US')} confirmadas por correo.`,
    listed: (n: number, scope: 'confirmed' | 'all') =>
      scope === 'confirmed' ? `A continuación: las ${n.toLocaleString('es-US')} personas que confirmaron su correo.` : `A continuación: las ${n.toLocaleString('es-US')} personas firmantes.`,
    signers: 'Firmantes',
    name: 'Nombre',
    zip: 'Código postal',
    date: 'Firmó el',
    page: (n: number, of: number) => `Página ${n} de ${of}`,
    none: 'Aún no hay firmantes que mostrar.',
    date_format: 'es-US',
    subject: (title: string) => `Petición: ${title}`,
    mail: (official: string, title: string, count: number) =>
      `Estimado/a ${official}:\n\nAdjuntamos la petición «${title}», firmada por ${count.toLocaleString('es-US')} personas de su comunidad.\n\nGracias por su atención.`,
    delivered: (official: string) => `Entregada a ${official}`,
  },
} as const;

export interface DeliveryDoc {
  lang: DeliveryLang;
  title: string;
  official: string;
  place: string;
  body: string;
  counts: { all: number; confirmed: number };
  scope: 'confirmed' | 'all';
  /** Pages of signers, fetched as the PDF is drawn. */
  signers: AsyncIterable<{ name: string; zip: string; signedAt: string }[]>;
}

const PAGE: [number, number] = [612, 792]; // US Letter
const MARGIN = 54;
const INK = rgb(0.1, 0.1, 0.12);
const MUTED = rgb(0.38, 0.38, 0.42);

/** Text the standard fonts (WinAnsi) can draw: accents kept where they exist there, others lose them, the rest is "?". */
function drawable(font: PDFFont) {
  const set = new Set(font.getCharacterSet());
  return (s: string) =>
    [...s.replace(/[\r\t]/g, ' ')]
      .map((ch) => {
        if (set.has(ch.codePointAt(0)!)) return ch;
        const plain = ch.normalize('NFD').replace(/\p{M}/gu, '');
        return [...plain].every((c) => set.has(c.codePointAt(0)!)) ? plain : '?';
      })
      .join('');
}

function wrap(font: PDFFont, size: number, text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      const next = line ? `${line} ${word}` : word;
      if (font.widthOfTextAtSize(next, size) <= width || !line) line = next;
      else {
        lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  return lines;
}

export async function deliveryPdf(d: DeliveryDoc): Promise<Uint8Array> {
  const t = DELIVERY_TEXT[d.lang];
  const doc = await PDFDocument.create();
  doc.setTitle(d.title);
  doc.setSubject(`${t.to}: ${d.official}`);
  doc.setLanguage(d.lang === 'es' ? 'es-US' : 'en-US');
  doc.setProducer('sanctuary-petition');
  doc.setCreator('sanctuary-petition');
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const safe = drawable(regular);
  const width = PAGE[0] - 2 * MARGIN;

  let page: PDFPage = doc.addPage(PAGE);
  let y = PAGE[1] - MARGIN;
  const newPage = () => {
    page = doc.addPage(PAGE);
    y = PAGE[1] - MARGIN;
    page.drawText(safe(d.title).slice(0, 90), { x: MARGIN, y, size: 8, font: regular, color: MUTED });
    y -= 22;
  };
  const text = (s: string, size: number, font = regular, color = INK, gap = 4) => {
    for (const line of wrap(font, size, safe(s), width)) {
      if (y < MARGIN + size) newPage();
      page.drawText(line, { x: MARGIN, y: y - size, size, font, color });
      y -= size + gap;
    }
  };

  text(d.title, 18, bold, INK, 6);
  y -= 6;
  text(`${t.to}: ${d.official}${d.place ? ` (${d.place})` : ''}`, 12, bold);
  y -= 6;
  text(t.counts(d.counts.all, d.counts.confirmed), 11);
  y -= 10;
  text(t.petition, 13, bold);
  text(d.body, 11);
  y -= 14;

  // The signers, as a table: name, ZIP code, date.
  const cols = [MARGIN, MARGIN + 300, MARGIN + 400];
  const header = () => {
    if (y < MARGIN + 40) newPage();
    [t.name, t.zip, t.date].forEach((h, i) => page.drawText(h, { x: cols[i]!, y: y - 10, size: 10, font: bold, color: INK }));
    y -= 18;
  };
  text(t.signers, 13, bold);
  let listed = 0;
  let started = false;
  const fmt = new Intl.DateTimeFormat(t.date_format, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
  for await (const rows of d.signers) {
    for (const r of rows) {
      if (!started) {
        text(t.listed(d.scope === 'confirmed' ? d.counts.confirmed : d.counts.all, d.scope), 10, regular, MUTED);
        y -= 4;
        header();
        started = true;
      }
      if (y < MARGIN + 12) {
        newPage();
        header();
      }
      let name = safe(r.name);
      while (regular.widthOfTextAtSize(name, 10) > 290) name = name.slice(0, -1);
      page.drawText(name, { x: cols[0]!, y: y - 10, size: 10, font: regular, color: INK });
      page.drawText(safe(r.zip), { x: cols[1]!, y: y - 10, size: 10, font: regular, color: INK });
      page.drawText(fmt.format(new Date(r.signedAt)), { x: cols[2]!, y: y - 10, size: 10, font: regular, color: INK });
      y -= 14;
      listed++;
    }
  }
  if (!listed) text(t.none, 10, regular, MUTED);

  const pages = doc.getPages();
  pages.forEach((p, i) => {
    const label = t.page(i + 1, pages.length);
    p.drawText(label, { x: PAGE[0] - MARGIN - regular.widthOfTextAtSize(label, 8), y: MARGIN / 2, size: 8, font: regular, color: MUTED });
  });
  return doc.save();
}
