/**
 * The service the W3C Trace Context test suite (github.com/w3c/trace-context, test/) drives:
 * it receives a POST with a JSON list of {url, arguments} and POSTs each `arguments` to its
 * `url`, propagating the trace context. Written with the SDK's wrappers only.
 *
 *   node --import tsx packages/sdk/test-service/w3c-test-service.ts [port]   (default 5000)
 *   STRICT_LEVEL=2 SPEC_LEVEL=2 python3 test/test.py http://127.0.0.1:5000/test
 */
import { createServer } from 'node:http';
import { startTracing, tracedFetch, wrapRequestListener } from '../src/index.js';

interface Call {
  url: string;
  arguments: unknown;
}

// Spans are made and propagated but not exported: the suite checks only the headers.
startTracing({ spanProcessors: [] });

const port = Number(process.argv[2] ?? 5000);
const server = createServer(
  wrapRequestListener(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    try {
      const calls = JSON.parse(Buffer.concat(chunks).toString('utf8') || '[]') as Call[];
      for (const call of calls) {
        const answer = await tracedFetch(call.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(call.arguments),
        });
        await answer.arrayBuffer();
      }
      res.end('ok');
    } catch (err) {
      res.statusCode = 500;
      res.end(String(err));
    }
  }),
);
server.listen(port, '127.0.0.1', () => console.log(`w3c test service on http://127.0.0.1:${port}/test`));
