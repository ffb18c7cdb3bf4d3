// Fixture for register.test.ts, run under the register entry (ESM as is, CommonJS after an
// esbuild transform): a front server whose handlers call a back server, with no tracing code,
// each after a different kind of asynchronous hop. Prints the ports as JSON.
/* global fetch, setImmediate, setTimeout */
import http, { get } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

const back = http.createServer((req, res) => {
  req.resume();
  res.statusCode = req.url === '/missing' ? 404 : 200;
  res.end('back');
});
let backUrl = '';
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function call(path, options = {}) {
  return new Promise((resolve, reject) => {
    get(`${backUrl}${path}`, options, (r) => {
      r.resume();
      r.on('end', resolve);
    }).on('error', reject);
  });
}

const routes = {
  '/promise': async (_req, res) => {
    await sleep(1);
    await Promise.resolve();
    await call('/promise');
    res.end('ok');
  },
  '/callback': (_req, res) =>
    setImmediate(() =>
      process.nextTick(() =>
        http.get(`${backUrl}/callback`, (r) => {
          r.resume();
          r.on('end', () => res.end('ok'));
        }),
      ),
    ),
  '/timer': (_req, res) =>
    setTimeout(async () => {
      const r = await fetch(`${backUrl}/timer`);
      await r.text();
      res.end('ok');
    }, 5),
  '/body': (req, res) => {
    let length = 0;
    req.on('data', (chunk) => (length += chunk.length));
    req.on('end', () => {
      const out = http.request(`${backUrl}/body`, { method: 'POST' }, (r) => {
        r.resume();
        r.on('end', () => res.end(String(length)));
      });
      out.end('x');
    });
  },
  '/finish': (_req, res) => {
    res.on('finish', () => void call('/finish'));
    res.end('ok');
  },
  '/pool': (_req, res) =>
    get(`${backUrl}/pool1`, { agent }, (r1) => {
      r1.resume();
      r1.on('end', () =>
        get(`${backUrl}/pool2`, { agent }, (r2) => {
          r2.resume();
          r2.on('end', async () => {
            await (await fetch(`${backUrl}/pool3`)).text();
            await (await fetch(`${backUrl}/pool4`)).text();
            res.end('ok');
          });
        }),
      );
    }),
  '/fail': (_req, res) => {
    res.statusCode = 503;
    res.end();
  },
  '/missing': async (_req, res) => {
    await call('/missing');
    res.end('ok');
  },
};

const front = http.createServer((req, res) => {
  const route = routes[new URL(req.url, 'http://x').pathname];
  if (route) return route(req, res);
  res.statusCode = 404;
  res.end();
});

if (process.env.APP_HANDLES_SIGTERM) {
  process.on('SIGTERM', () => {
    console.log('app: SIGTERM');
    agent.destroy();
    // As many servers do on the way out; the register's final export must not depend on it.
    http.globalAgent.destroy();
    back.close();
    front.close();
    back.closeAllConnections();
    front.closeAllConnections();
  });
}

back.listen(0, '127.0.0.1', () => {
  backUrl = `http://127.0.0.1:${back.address().port}`;
  front.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ front: front.address().port, back: back.address().port })));
});
