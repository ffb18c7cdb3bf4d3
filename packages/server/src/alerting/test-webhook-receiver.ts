import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests assert the shape they read
}

/** A real HTTP webhook receiver on 127.0.0.1 for tests: records what it gets and answers from a script (200 once the script is used up). */
export async function startWebhookReceiver() {
  const received: ReceivedWebhook[] = [];
  const script: number[] = [];
  let requests = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests++;
      const status = script.shift() ?? 200;
      if (status < 300) received.push({ path: req.url ?? '', headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    /** Bodies answered with a 2xx, in arrival order. */
    received,
    /** Statuses for the next requests, in order. */
    answer: (...statuses: number[]) => script.push(...statuses),
    requests: () => requests,
    clear: () => (received.length = 0),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
