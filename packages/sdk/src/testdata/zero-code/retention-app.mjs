// Fixture for register.test.ts, run with --expose-gc: does a request's context outlive it while
// its keep-alive connection stays open? /track registers the request's span; /check, on another
// connection, collects garbage and answers whether that span was freed. /track also calls
// /pong through a keep-alive agent, whose pooled socket stays open too.
/* global gc, setTimeout */
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { trace } from '@opentelemetry/api';

let freed = false;
const registry = new FinalizationRegistry(() => (freed = true));
const kept = [];
let keptFreed = false;
const control = new FinalizationRegistry(() => (keptFreed = true));

const agent = new http.Agent({ keepAlive: true, timeout: 60_000 });

const server = http.createServer(async (req, res) => {
  if (req.url === '/pong') return res.end('pong');
  if (req.url === '/track') {
    const span = trace.getActiveSpan();
    if (span === undefined || !span.isRecording()) throw new Error('no active server span');
    registry.register(span, 'span');
    const held = {};
    kept.push(held);
    control.register(held, 'held');
    http.get({ host: '127.0.0.1', port: server.address().port, path: '/pong', agent }, (pong) => {
      pong.resume();
      pong.on('end', () => setTimeout(() => res.end('tracked'), 5));
    });
    return;
  }
  // The batch processor exports, then drops, the span; Node's Date-header cache timer, armed
  // by the first response of a second, lets go of its context within a second.
  await sleep(1100);
  for (let i = 0; i < 10 && !freed; i++) {
    gc();
    await sleep(20);
  }
  const connections = await new Promise((resolve) => server.getConnections((_err, n) => resolve(n)));
  res.end(JSON.stringify({ freed, keptFreed, connections }));
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
