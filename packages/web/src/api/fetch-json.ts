/** An API answer that was not 2xx, with the server's message when it sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** GETs JSON; native (`{error:{message}}`) and Jaeger (`{errors:[{msg}]}`) error bodies become ApiError messages. */
export async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal, headers: { accept: 'application/json' } });
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
