import { ApiError } from './fetch-json';

/** Sends a JSON body (POST/PUT/DELETE); the server's `message` becomes the ApiError's, e.g. `rules.threshold: must be a number`. */
export async function sendJson<T>(method: 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<T | undefined> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
  if (!res.ok) throw new ApiError(res.status, (parsed as { message?: string } | undefined)?.message ?? `${res.status} ${res.statusText}`);
  return parsed as T | undefined;
}
