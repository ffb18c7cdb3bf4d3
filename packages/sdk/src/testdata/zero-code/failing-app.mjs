// Fixture for register.test.ts: behaves the same with and without the register entry.
// `throw`: throws at the top level; `missing`: loads libraries that are not installed;
// `reject`: an unhandled rejection from inside a request handler; `request-error`: an outgoing
// request fails (connection refused) and the app has no 'error' listener, which crashes it;
// `query-rejection`: a pg query the app never awaits fails (an unhandled rejection).
import http from 'node:http';
import { setTimeout } from 'node:timers';
import { createRequire } from 'node:module';

const mode = process.argv[2];
if (mode === 'throw') throw new Error('app failed on purpose');
if (mode === 'missing') {
  const require = createRequire(import.meta.url);
  for (const load of [() => require('pg-not-installed'), () => require('express/not-a-file')]) {
    try {
      load();
    } catch (err) {
      console.log(err.code);
    }
  }
  await import('koa-not-installed').catch((err) => console.log(err.code));
}
if (mode === 'reject') {
  const server = http.createServer(async () => {
    throw new Error('handler failed on purpose');
  });
  server.listen(0, '127.0.0.1', () => http.get(`http://127.0.0.1:${server.address().port}/`).on('error', () => {}));
}
if (mode === 'request-error') {
  http.get('http://127.0.0.1:1/');
  setTimeout(() => console.log('still running'), 1000);
}
if (mode === 'query-rejection') {
  const pg = createRequire(import.meta.url)('pg');
  const client = new pg.Client({ host: '127.0.0.1', port: 1 });
  client.connect().catch((err) => console.log('connect failed', err.code));
  client.query('SELECT 1');
  setTimeout(() => console.log('still running'), 1000);
}
