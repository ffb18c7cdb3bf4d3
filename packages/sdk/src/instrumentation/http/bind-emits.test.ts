import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { context, createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import type { Context } from '@opentelemetry/api';
import { InMemorySpanExporter } from '../../export/in-memory-span-exporter.js';
import { startTracing } from '../../start-tracing.js';
import type { TracingHandle } from '../../start-tracing.js';
import { bindEmits } from './bind-emits.js';

const KEY = createContextKey('bind-emits test');
const requestContext = ROOT_CONTEXT.setValue(KEY, 'request');
const seen = (ctx: Context) => ctx.getValue(KEY) ?? 'root';

// A class of its own: bindEmits patches the emit of the emitter's class.
class Message extends EventEmitter {}

let handle: TracingHandle;
before(() => {
  handle = startTracing({ env: { OTEL_SERVICE_NAME: 'test' }, exporter: new InMemorySpanExporter() });
});
after(() => handle.shutdown());

describe('bindEmits', () => {
  it("runs an event's listeners in the bound context, wherever it is emitted", () => {
    const message = new Message();
    bindEmits(message, requestContext);
    const contexts: unknown[] = [];
    message.on('data', () => contexts.push(seen(context.active())));
    context.with(ROOT_CONTEXT, () => message.emit('data'));
    assert.deepEqual(contexts, ['request']);
  });

  it("leaves an 'end' heard only by node:http's clearIncoming in the emitter's context, and any other listener in the bound one", () => {
    const contexts: string[] = [];
    // The name is what identifies Node's listener.
    const clearIncoming = () => contexts.push(`node ${String(seen(context.active()))}`);
    const app = () => contexts.push(`app ${String(seen(context.active()))}`);
    const alone = new Message();
    const nodeFirst = new Message();
    const appFirst = new Message();
    alone.on('end', clearIncoming);
    nodeFirst.on('end', clearIncoming).on('end', app);
    appFirst.on('end', app).on('end', clearIncoming);
    for (const message of [alone, nodeFirst, appFirst]) {
      bindEmits(message, requestContext);
      context.with(ROOT_CONTEXT, () => message.emit('end'));
    }
    assert.deepEqual(contexts, ['node root', 'node request', 'app request', 'app request', 'node request']);
  });
});
