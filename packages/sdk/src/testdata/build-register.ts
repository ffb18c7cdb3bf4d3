// Test helper: bundles src/register.ts as the package build does, so child processes run the
// current source through the real entry, ESM and CommonJS, without tsx.
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import type { BuildOptions } from 'esbuild';

export interface RegisterBundles {
  esm: string;
  cjs: string;
  remove(): void;
}

export function buildRegister(): RegisterBundles {
  const dir = fileURLToPath(new URL(`../../.tmp/register-${process.pid}-${Date.now()}/`, import.meta.url));
  mkdirSync(dir, { recursive: true });
  const entry = fileURLToPath(new URL('../register.ts', import.meta.url));
  const common: BuildOptions = { entryPoints: [entry], bundle: true, platform: 'node', target: 'node20.6', logLevel: 'warning' };
  buildSync({ ...common, format: 'esm', outfile: `${dir}register.mjs` });
  buildSync({ ...common, format: 'cjs', outfile: `${dir}register.cjs` });
  return { esm: `${dir}register.mjs`, cjs: `${dir}register.cjs`, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
