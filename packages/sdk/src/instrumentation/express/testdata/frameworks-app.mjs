// Started with `node --import <register> frameworks-app.mjs`: express, fastify and koa apps and
// pino and winston loggers, all imported as ES modules, none of them aware of tracing.
import Router from '@koa/router';
import express from 'express';
import fastify from 'fastify';
import Koa from 'koa';
import pino from 'pino';
import winston from 'winston';

const log = pino({ base: null });
const wlog = winston.createLogger({ format: winston.format.json(), transports: [new winston.transports.Console()] });

const ex = express();
ex.get('/users/:id', (req, res) => {
  log.info({ lib: 'pino' }, 'express handler');
  wlog.info('express handler', { lib: 'winston' });
  res.json({ id: req.params.id });
});
const exServer = ex.listen(0, '127.0.0.1');
await new Promise((resolve) => exServer.once('listening', resolve));

const fa = fastify();
fa.get('/items/:id', async (request) => ({ id: request.params.id }));
await fa.listen({ port: 0, host: '127.0.0.1' });

const ko = new Koa();
const router = new Router();
router.get('/orders/:id', (ctx) => {
  ctx.body = { id: ctx.params.id };
});
ko.use(router.routes());
const koServer = ko.listen(0, '127.0.0.1');
await new Promise((resolve) => koServer.once('listening', resolve));

log.info('outside any span');
console.log(
  JSON.stringify({ express: exServer.address().port, fastify: fa.server.address().port, koa: koServer.address().port }),
);
