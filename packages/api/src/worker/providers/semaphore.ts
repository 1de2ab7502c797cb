/**
 * Counting semaphores by key (tenant + provider): at most `limit` holders per key at once in this
 * process; the others wait in order. A released place passes straight to the next waiter, so no
 * newcomer can slip in between. A waiter whose signal aborts leaves the queue.
 */
export class KeyedSemaphore {
  private readonly held = new Map<string, number>();
  private readonly waiting = new Map<string, ((release: () => void) => void)[]>();

  /** Resolves with a release function once a place is free (calling it again does nothing). */
  acquire(key: string, limit: number, signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if ((this.held.get(key) ?? 0) < limit) {
      this.held.set(key, (this.held.get(key) ?? 0) + 1);
      return Promise.resolve(this.releaser(key));
    }
    return new Promise((resolve, reject) => {
      const queue = this.waiting.get(key) ?? [];
      this.waiting.set(key, queue);
      const onAbort = () => {
        const index = queue.indexOf(grant);
        if (index >= 0) queue.splice(index, 1);
        if (queue.length === 0) this.waiting.delete(key);
        reject(signal?.reason instanceof Error ? signal.reason : new Error("The wait for a provider slot was cancelled."));
      };
      const grant = (release: () => void) => {
        signal?.removeEventListener("abort", onAbort);
        resolve(release);
      };
      queue.push(grant);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Holders of `key` now (tests, metrics). */
  inUse(key: string): number {
    return this.held.get(key) ?? 0;
  }

  private releaser(key: string): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const queue = this.waiting.get(key);
      const next = queue?.shift();
      if (queue && queue.length === 0) this.waiting.delete(key);
      if (next) {
        next(this.releaser(key));
        return;
      }
      const left = (this.held.get(key) ?? 1) - 1;
      if (left <= 0) this.held.delete(key);
      else this.held.set(key, left);
    };
  }
}
