// Fixture for register.test.ts: an https server whose /a handler calls its own /b with
// https.request (a named ESM import) and with fetch. TLS_KEY and TLS_CERT name PEM files.
/* global fetch */
import { readFileSync } from 'node:fs';
import { createServer, request } from 'node:https';

const server = createServer({ key: readFileSync(process.env.TLS_KEY), cert: readFileSync(process.env.TLS_CERT) }, (req, res) => {
  if (req.url !== '/a') return res.end('b');
  const url = `https://127.0.0.1:${server.address().port}/b`;
  request(url, { rejectUnauthorized: false }, (r) => {
    r.resume();
    r.on('end', async () => {
      await (await fetch(url)).text();
      res.end('a');
    });
  }).end();
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
