// A small load generator: a few /checkout requests a second against serverA, now and then for an
// item that does not exist (serverB fails, serverA answers 502). It is not traced itself.
/* global fetch, setInterval */
const target = process.env.SERVER_A_URL ?? 'http://127.0.0.1:8081';
const perSecond = Number(process.env.RATE ?? 5);
const items = ['book', 'book', 'pen', 'lamp', 'lamp', 'unicorn'];
let sent = 0;
let failed = 0;

setInterval(async () => {
  const item = items[Math.floor(Math.random() * items.length)];
  sent++;
  try {
    const res = await fetch(`${target}/checkout?item=${item}`);
    await res.arrayBuffer();
    if (!res.ok) failed++;
  } catch {
    failed++;
  }
}, 1000 / perSecond);
setInterval(() => console.log(`load: ${sent} requests sent, ${failed} failed`), 10_000);
