// Test app for register: answers one request, then ends the way EXIT_HOW says, before any
// scheduled export: "exit" calls process.exit(3) once the response is sent, "exit-mid-response"
// calls it with the response half written, "exit-open-responses" holds four requests (/a to /d),
// ends /b and /d (one in the middle of the open ones, then the newest) and calls it with /a and /c
// half written, "throw" throws from a timer (an uncaught exception), "sigterm-exit" calls
// process.exit(0) on SIGTERM. Prints {"port": ...} when listening.
/* global require, setTimeout */
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS app */
const http = require('node:http');

const how = process.env.EXIT_HOW;
const held = new Map();
const server = http.createServer((req, res) => {
  if (how === 'exit-open-responses') {
    held.set(req.url, res);
    if (held.size < 4) return;
    held.get('/b').end('b', () =>
      held.get('/d').end('d', () => {
        held.get('/a').write('a');
        held.get('/c').write('c', () => process.exit(3));
      }),
    );
    return;
  }
  if (how === 'exit-mid-response') {
    res.write('by', () => process.exit(3));
    return;
  }
  res.end('bye', () => {
    if (how === 'throw') setTimeout(() => { throw new Error('app crashed'); }, 0);
    else if (how === 'exit') process.exit(3);
  });
});
if (how === 'sigterm-exit') process.on('SIGTERM', () => process.exit(0));
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
