import { ExecutionFailure } from "./provider.ts";

/**
 * Runs `fn` with a signal that aborts after `ms`, or when `abandon` aborts (the worker lost its
 * claim), and stops waiting then even if `fn` ignores the signal. The timer is a ref'd setTimeout
 * on purpose: a provider that hangs without holding any handle must not let the process exit with
 * its execution left `running`.
 */
export async function withDeadline<T>(ms: number, providerName: string, abandon: AbortSignal, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onAbandon: (() => void) | undefined;
  const deadline = new Promise<never>((_, reject) => {
    const stop = (error: unknown) => {
      controller.abort(error);
      reject(error instanceof Error ? error : new ExecutionFailure(String(error)));
    };
    timer = setTimeout(() => stop(new ExecutionFailure(`Provider "${providerName}" did not finish within ${ms} ms; the execution was stopped.`)), ms);
    onAbandon = () => stop(abandon.reason);
    if (abandon.aborted) onAbandon();
    else abandon.addEventListener("abort", onAbandon, { once: true });
  });
  try {
    return await Promise.race([fn(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
    if (onAbandon) abandon.removeEventListener("abort", onAbandon);
  }
}
