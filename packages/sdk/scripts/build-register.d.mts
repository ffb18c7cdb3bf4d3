export interface BuildRegisterOptions {
  outdir: string;
  /** The ES module entry's file name; default register.js. */
  esmName?: string;
  sourcemap?: boolean;
}

/** Writes the zero-code entry (register.js, register.cjs, the bundle and its V8 code cache) into `outdir`. */
export function buildRegister(options: BuildRegisterOptions): void;
