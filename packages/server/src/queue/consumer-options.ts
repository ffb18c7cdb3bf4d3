/** How a queue consumer retries and stops; shared by every backend. */
export interface ConsumerOptions {
  /** Delay before a failed message is handed out again, doubled per attempt. Default 200 ms. */
  retryDelayMs?: number;
  /** Cap of that delay. Default 30 s. */
  maxRetryDelayMs?: number;
  /** How long `shutdown` waits for handlers in flight before abandoning them unacked. Default 10 s. */
  shutdownGraceMs?: number;
}

/** The delay before delivery number `attempt + 1` of a message whose handler threw `attempt` times. */
export function retryDelayMs(attempt: number, options: ConsumerOptions): number {
  const base = options.retryDelayMs ?? 200;
  return Math.min(base * 2 ** Math.min(attempt - 1, 20), options.maxRetryDelayMs ?? 30_000);
}

/** Resolves when `work` settles or after `ms`, whichever is first; true when `work` settled. */
export async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(resolve, ms, false)));
  try {
    return await Promise.race([work.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
