import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { admin } from './admin-helpers.ts';

const N = 100_000;

describe('CSV export of 100,000 signatures', () => {
  it('streams them page by page, in many chunks, every row exactly once', async () => {
    const c = await env.DB.prepare("SELECT id FROM campaigns WHERE slug = 'skokie'").first<{ id: number }>();
    const before = (await env.DB.prepare('SELECT count(*) AS n FROM signatures').first<{ n: number }>())!.n;
    // One statement inserts them all (a recursive CTE): seconds would go by with 100,000 round trips.
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
       INSERT INTO signatures (campaign_id, first_name, last_name, email, email_hash, zip, partner, consent_partner, consent_effort)
       SELECT ?1, 'Name' || i, CASE WHEN i % 1000 = 0 THEN 'Comma, "Quote"' ELSE 'Last' END, 'bulk' || i || '@example.org',
              'bulk-' || i, '60076', 'bulk', i % 2, 1 FROM n`,
    )
      .bind(c!.id, N)
      .run();
    const total = before + N;

    const res = await admin('/efforts/expand-sanctuary/signatures.csv');
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let chunks = 0;
    let biggest = 0;
    let lines = 0;
    let tail = '';
    let lastLine = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) {
      chunks++;
      biggest = Math.max(biggest, r.value.byteLength);
      // Count records by their CRLF ends (no cell here holds a line break).
      const text = tail + decoder.decode(r.value, { stream: true });
      const parts = text.split('\r\n');
      tail = parts.pop()!;
      lines += parts.length;
      if (parts.length) lastLine = parts.at(-1)!;
    }
    expect(tail).toBe('');
    expect(lines).toBe(1 + total);
    // The bulk rows end the file, the last one last.
    expect(lastLine).toContain(`,"Name${N}","Comma, ""Quote""","bulk${N}@example.org","60076",`);
    // Streamed: one chunk per page of 1,000 rows, none of them holding the whole file.
    expect(chunks).toBeGreaterThanOrEqual(Math.floor(total / 1000));
    expect(biggest).toBeLessThan(1024 * 1024);
  }, 60_000);
});
