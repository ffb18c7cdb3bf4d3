// serverB, the article's back service, a CommonJS module with no tracing code: it answers
// serverA from its "database". Under `node --require @ariadne/sdk/register` its spans continue
// serverA's trace from the traceparent header.
/* global require */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS app */
const http = require('node:http');
const { query } = require('./db.cjs');

const port = Number(process.env.PORT ?? 8082);

const server = http.createServer(async (req, res) => {
  const [, what, item] = req.url.split('/');
  try {
    if (what === 'stock') {
      const row = await query('SELECT stock FROM items WHERE name = ?', decodeURIComponent(item));
      return res.end(JSON.stringify({ count: row.stock }));
    }
    if (what === 'price') {
      const row = await query('SELECT cents FROM items WHERE name = ?', decodeURIComponent(item));
      return res.end(JSON.stringify({ cents: row.cents }));
    }
    res.statusCode = 404;
    res.end();
  } catch (err) {
    res.statusCode = 500;
    res.end(String(err));
  }
});
server.listen(port, '127.0.0.1', () => console.log(`serverB listening on http://127.0.0.1:${server.address().port}`));
