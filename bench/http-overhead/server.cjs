/* global require */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS app, so that require hooks see it */
// The application under test: a hello-world HTTP server in CommonJS (so that every tracer's
// require hooks see `http`, as in a plain Node app). With UPSTREAM set, its handler first calls
// UPSTREAM with http.get (the global keep-alive agent) and answers once that response has ended:
// serverA -> serverB. Listens on PORT on 127.0.0.1, prints "listening" on stdout when ready, and
// on SIGTERM stops accepting, closes connections and lets the event loop drain (so a tracer may
// flush on beforeExit or on its own signal listener).
const http = require('node:http');

const port = Number(process.env.PORT);
const upstream = process.env.UPSTREAM;
const body = 'hello world\n';

const server = http.createServer((req, res) => {
  if (!upstream) {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': body.length });
    res.end(body);
    return;
  }
  http
    .get(upstream, (up) => {
      let n = 0;
      up.on('data', (chunk) => (n += chunk.length));
      up.on('end', () => {
        res.writeHead(up.statusCode === 200 ? 200 : 502, { 'content-type': 'text/plain', 'content-length': String(n) });
        res.end(body.slice(0, n));
      });
    })
    .on('error', () => {
      res.writeHead(502);
      res.end();
    });
});
server.keepAliveTimeout = 60_000;

server.listen(port, '127.0.0.1', () => process.stdout.write('listening\n'));

process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  http.globalAgent.destroy();
});
