import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';
import { diagLoggerFromEnv, FirstOfEachKindLogger } from './diag-logger-from-env.js';

describe('FirstOfEachKindLogger', () => {
  it("prints the first of each kind of Ariadne's errors and warnings, numbers and ids aside", () => {
    const lines: string[] = [];
    const logger: DiagLogger = new FirstOfEachKindLogger((line) => lines.push(line));
    logger.warn('ariadne: export of 512 spans failed: POST http://127.0.0.1:4318/v1/traces: connect ECONNREFUSED 127.0.0.1:4318');
    logger.warn('ariadne: export of 37 spans failed: POST http://127.0.0.1:4318/v1/traces: connect ECONNREFUSED 127.0.0.1:4318');
    logger.warn('ariadne: setAttribute on ended span GET (0af7651916cd43dd) ignored');
    logger.warn('ariadne: setAttribute on ended span GET (b7ad6b7169203331) ignored');
    logger.error('ariadne: http server span not started', new TypeError('boom'), { at: 'here' });
    logger.info('ariadne: an info');
    logger.debug('ariadne: a debug line');
    logger.verbose('ariadne: a verbose line');
    // The API's own messages (a logger replaced) and those of the app's OpenTelemetry libraries.
    logger.warn('Current logger will be overwritten from Error');
    logger.error('@opentelemetry/instrumentation-dns Module dns has been loaded before');
    assert.deepEqual(lines, [
      'ariadne: export of 512 spans failed: POST http://127.0.0.1:4318/v1/traces: connect ECONNREFUSED 127.0.0.1:4318',
      'ariadne: setAttribute on ended span GET (0af7651916cd43dd) ignored',
      'ariadne: http server span not started: boom {"at":"here"}',
    ]);
  });

  it('stops after ten kinds with a line saying how to see them all', () => {
    const lines: string[] = [];
    const logger = new FirstOfEachKindLogger((line) => lines.push(line));
    for (const kind of 'abcdefghijklmn') logger.warn(`ariadne: problem ${kind}`);
    assert.equal(lines.length, 11);
    assert.equal(lines[9], 'ariadne: problem j');
    assert.equal(lines[10], 'ariadne: more problems not shown; OTEL_LOG_LEVEL=warn shows every one');
  });

  it('never throws, on an argument it cannot print or a console that throws', () => {
    const lines: string[] = [];
    const logger = new FirstOfEachKindLogger((line) => lines.push(line));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    logger.error('ariadne: odd', cyclic, Object.create(null));
    assert.deepEqual(lines, ['ariadne: odd: [object Object] {}']);
    const failing = new FirstOfEachKindLogger(() => {
      throw new Error('console closed');
    });
    assert.doesNotThrow(() => failing.error('ariadne: http server span not started', new Error('x')));
  });
});

describe('diagLoggerFromEnv', () => {
  it("takes OTEL_LOG_LEVEL's names, in any case, onto the console", () => {
    for (const [value, level] of [
      ['warn', DiagLogLevel.WARN],
      [' Debug ', DiagLogLevel.DEBUG],
      ['NONE', DiagLogLevel.NONE],
      ['all', DiagLogLevel.ALL],
    ] as const) {
      const chosen = diagLoggerFromEnv({ OTEL_LOG_LEVEL: value });
      assert.ok(chosen.logger instanceof DiagConsoleLogger, value);
      assert.equal(chosen.level, level, value);
      assert.equal(chosen.problem, undefined, value);
    }
  });

  it('prints the first of each kind of problem without OTEL_LOG_LEVEL, and says so of a value it does not know', () => {
    const unset = diagLoggerFromEnv({});
    assert.ok(unset.logger instanceof FirstOfEachKindLogger);
    assert.equal(unset.level, DiagLogLevel.WARN);
    assert.equal(unset.problem, undefined);
    // 50 is the enum's WARN, not a name: it was read as the string 'WARN' as a level.
    for (const value of ['50', 'loud', 'toString']) {
      const chosen = diagLoggerFromEnv({ OTEL_LOG_LEVEL: value });
      assert.ok(chosen.logger instanceof FirstOfEachKindLogger, value);
      assert.equal(chosen.problem, `ariadne: OTEL_LOG_LEVEL=${value} is not one of none, error, warn, info, debug, verbose, all; ignored`);
    }
  });
});
