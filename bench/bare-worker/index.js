/**
 * The bare Worker: the least a Worker can do per signature (read the JSON body, one INSERT) and per
 * export (page through the table by id, 1,000 rows a query, and stream the rows as lines). What the
 * real Worker does is measured against this, in the same run (bench/throughput.ts, bench/export.ts).
 */
export default {
  /** @param {Request} request @param {{ DB: any }} env */
  async fetch(request, env) {
    const url = new URL(request.url);
    if (request.method === 'POST' && url.pathname === '/sign') {
      const s = await request.json();
      await env.DB.prepare('INSERT INTO signatures (campaign, first_name, last_name, email, zip) VALUES (?1, ?2, ?3, ?4, ?5)')
        .bind('skokie', s.firstName, s.lastName, s.email, s.zip)
        .run();
      return Response.json({ ok: true }, { status: 201 });
    }
    if (url.pathname === '/export') {
      const encoder = new TextEncoder();
      let after = 0;
      const stream = new ReadableStream({
        async pull(controller) {
          const { results } = await env.DB.prepare('SELECT * FROM signatures WHERE id > ?1 ORDER BY id LIMIT 1000').bind(after).all();
          if (!results.length) return controller.close();
          after = results[results.length - 1].id;
          controller.enqueue(encoder.encode(results.map((r) => Object.values(r).join(',')).join('\n') + '\n'));
        },
      });
      return new Response(stream, { headers: { 'content-type': 'text/csv' } });
    }
    if (url.pathname === '/ready') return new Response('ok');
    return new Response('not found', { status: 404 });
  },
};
