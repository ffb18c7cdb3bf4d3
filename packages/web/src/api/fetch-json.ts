/** An API answer that was not 2xx, with the server's message when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

declare global {
  interface Window {
    /** A request index.html started before the app loaded (a trace page's outline). */
    __ariadneEarlyFetch?: { url: string; response: Promise<Response> };
  }
}

/** The early request for `url`, once: a later fetch of it (a reload, a retry) asks anew. */
function takeEarlyFetch(url: string): Promise<Response> | undefined {
  const early = window.__ariadneEarlyFetch;
  if (!early || early.url !== url) return undefined;
  window.__ariadneEarlyFetch = undefined;
  return early.response;
}

/** GETs JSON; native (`{error:{message}}`) and Jaeger (`{errors:[{msg}]}`) error bodies become ApiError messages. */
export async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await (takeEarlyFetch(url) ?? fetch(url, { signal, headers: { accept: 'application/json' } }));
  if (res.ok) return (await res.json()) as T;
  let message = `${res.status} ${res.statusText}`;
  try {
    const body = (await res.json()) as { error?: { message?: string }; errors?: { msg?: string }[] | null };
    message = body.error?.message ?? body.errors?.[0]?.msg ?? message;
  } catch {
    // Not JSON: keep the status line.
  }
  throw new ApiError(res.status, message);
}
