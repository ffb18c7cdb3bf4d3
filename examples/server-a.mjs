// serverA, the article's front service, an ES module with no tracing code. Each /checkout asks
// serverB for stock with http.get and for the price with fetch; under
// `node --import @ariadne/sdk/register` both calls join the request's trace by themselves.
/* global fetch */
import http from 'node:http';

const port = Number(process.env.PORT ?? 8081);
const serverB = process.env.SERVER_B_URL ?? 'http://127.0.0.1:8082';

function getJson(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(body)) : reject(new Error(`serverB answered ${res.statusCode}`))));
      })
      .on('error', reject);
  });
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://serverA');
  if (url.pathname !== '/checkout') {
    res.statusCode = 404;
    return res.end();
  }
  const item = url.searchParams.get('item') ?? 'book';
  try {
    const stock = await getJson(`${serverB}/stock/${encodeURIComponent(item)}`);
    const price = await (await fetch(`${serverB}/price/${encodeURIComponent(item)}`)).json();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ item, inStock: stock.count > 0, price: price.cents }));
  } catch (err) {
    res.statusCode = 502;
    res.end(String(err));
  }
});
server.listen(port, '127.0.0.1', () => console.log(`serverA listening on http://127.0.0.1:${server.address().port}`));
