import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SDK_VERSION } from '../version.js';
import { detectResource, packageNameOf, parseResourceAttributes } from './detect-resource.js';

describe('detectResource', () => {
  it('detects process, host, runtime and SDK attributes', () => {
    const a = detectResource({ env: { OTEL_SERVICE_NAME: 'svc' } }).attributes;
    assert.equal(a['service.name'], 'svc');
    assert.equal(a['telemetry.sdk.name'], 'ariadne');
    assert.equal(a['telemetry.sdk.language'], 'nodejs');
    assert.equal(a['telemetry.sdk.version'], SDK_VERSION);
    assert.equal(a['process.pid'], process.pid);
    assert.equal(a['process.runtime.name'], 'nodejs');
    assert.equal(a['process.runtime.version'], process.versions.node);
    assert.equal(typeof a['host.name'], 'string');
    assert.equal(typeof a['host.arch'], 'string');
  });

  it('takes OTEL_RESOURCE_ATTRIBUTES, percent-decoded, under OTEL_SERVICE_NAME', () => {
    const env = { OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs,deployment.environment=prod%20eu,k=a%2Cb', OTEL_SERVICE_NAME: 'svc' };
    const a = detectResource({ env }).attributes;
    assert.equal(a['service.name'], 'svc');
    assert.equal(a['deployment.environment'], 'prod eu');
    assert.equal(a.k, 'a,b');
    assert.equal(detectResource({ env: { OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-attrs' } }).attributes['service.name'], 'from-attrs');
    assert.equal(detectResource({ env: {}, serviceName: 'option' }).attributes['service.name'], 'option');
  });

  it('discards OTEL_RESOURCE_ATTRIBUTES with bad encoding or members', () => {
    assert.deepEqual(parseResourceAttributes('a=%zz,b=1'), {});
    assert.deepEqual(parseResourceAttributes('a=1,nokey'), {});
    assert.deepEqual(parseResourceAttributes('a=1,,b=2'), { a: '1', b: '2' });
  });

  it('finds the service name in the nearest package.json above the entry script', () => {
    const root = mkdtempSync(join(tmpdir(), 'ariadne-resource-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'my-service' }));
    mkdirSync(join(root, 'dist', 'bin'), { recursive: true });
    assert.equal(packageNameOf(join(root, 'dist', 'bin', 'main.js')), 'my-service');
    assert.equal(packageNameOf(undefined), undefined);
  });
});
