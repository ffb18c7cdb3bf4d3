import { readFileSync } from 'node:fs';
import { arch, hostname, platform } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { diag } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';
import { SDK_VERSION } from '../version.js';
import { Resource } from './resource.js';

/** OTEL_RESOURCE_ATTRIBUTES: `key=value` pairs separated by commas, values percent-encoded. */
export function parseResourceAttributes(raw: string | undefined): Attributes {
  const out: Attributes = {};
  if (raw === undefined) return out;
  for (const pair of raw.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      diag.warn(`ariadne: OTEL_RESOURCE_ATTRIBUTES member "${pair}" has no key=value; ignored`);
      return {};
    }
    try {
      out[decodeURIComponent(pair.slice(0, eq).trim())] = decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      // The specification says to discard all of them on a decoding error.
      diag.warn('ariadne: OTEL_RESOURCE_ATTRIBUTES is not valid percent-encoding; ignored');
      return {};
    }
  }
  return out;
}

/** The `name` in the package.json nearest to the entry script, walking up. */
export function packageNameOf(script: string | undefined): string | undefined {
  if (script === undefined || script === '') return undefined;
  let dir = dirname(resolve(script));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (typeof pkg.name === 'string' && pkg.name !== '') return pkg.name;
      return undefined;
    } catch {
      const parent = dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  }
}

function hostArch(): string {
  const a = arch();
  const map: Record<string, string> = { arm: 'arm32', ppc: 'ppc32', x64: 'amd64' };
  return map[a] ?? a;
}

export interface DetectResourceOptions {
  env?: NodeJS.ProcessEnv;
  /** Overrides OTEL_SERVICE_NAME and everything else. */
  serviceName?: string;
  /** Merged over the detected and environment attributes. */
  attributes?: Attributes;
}

/**
 * process.*, host.*, process.runtime.* and telemetry.sdk.* detected; OTEL_RESOURCE_ATTRIBUTES
 * over them; service.name from OTEL_SERVICE_NAME, else those attributes, else the entry
 * script's package name, else unknown_service:node.
 */
export function detectResource(options: DetectResourceOptions = {}): Resource {
  const env = options.env ?? process.env;
  const detected: Attributes = {
    'telemetry.sdk.name': 'ariadne',
    'telemetry.sdk.language': 'nodejs',
    'telemetry.sdk.version': SDK_VERSION,
    'process.pid': process.pid,
    'process.executable.name': process.title,
    'process.executable.path': process.execPath,
    'process.command': process.argv[1] ?? '',
    'process.command_args': [process.argv[0] ?? '', ...process.execArgv, ...process.argv.slice(1)],
    'process.runtime.name': 'nodejs',
    'process.runtime.version': process.versions.node,
    'process.runtime.description': 'Node.js',
    'host.name': hostname(),
    'host.arch': hostArch(),
    'os.type': platform(),
  };
  const fromEnv = parseResourceAttributes(env.OTEL_RESOURCE_ATTRIBUTES);
  const attributes: Attributes = { ...detected, ...fromEnv, ...options.attributes };
  const serviceName =
    options.serviceName ??
    (env.OTEL_SERVICE_NAME?.trim() || undefined) ??
    (options.attributes?.['service.name'] as string | undefined) ??
    (fromEnv['service.name'] as string | undefined) ??
    packageNameOf(process.argv[1]) ??
    'unknown_service:node';
  attributes['service.name'] = serviceName;
  return new Resource(attributes);
}
