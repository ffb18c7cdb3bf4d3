/** Kept equal to package.json's version (read at build time would need JSON imports). */
export const SDK_VERSION = '0.1.0';
