import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { Errors } from '../errors.js';

const gunzipAsync = promisify(gunzip);

/**
 * Decodes a request body by its `Content-Encoding` (identity or gzip), stopping at `maxBytes` of
 * output so a small gzip bomb cannot fill memory. Throws ARIADNE_* errors a receiver sends as 4xx.
 */
export async function decodeContentEncoding(body: Buffer, contentEncoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return body;
  if (encoding !== 'gzip') throw Errors.unsupportedEncoding(encoding);
  try {
    return await gunzipAsync(body, { maxOutputLength: maxBytes });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw Errors.bodyTooLarge(maxBytes);
    throw Errors.undecodableBody('gzip', (err as Error).message);
  }
}
