// Test helper: builds the zero-code entry with the package's own build (scripts/build-register.mjs),
// so child processes run the current source through the real entries, ESM and CommonJS, without tsx.
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildRegister as build } from '../../scripts/build-register.mjs';

export interface RegisterBundles {
  esm: string;
  cjs: string;
  remove(): void;
}

export function buildRegister(): RegisterBundles {
  const dir = fileURLToPath(new URL(`../../.tmp/register-${process.pid}-${Date.now()}/`, import.meta.url));
  mkdirSync(dir, { recursive: true });
  build({ outdir: dir, esmName: 'register.mjs', sourcemap: false });
  return { esm: `${dir}register.mjs`, cjs: `${dir}register.cjs`, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
