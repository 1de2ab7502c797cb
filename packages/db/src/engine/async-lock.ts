/**
 * A first-come, first-served lock for one database connection: a SQLite transaction stays open
 * across `await`s, and no statement of another async chain may run on the connection meanwhile
 * (it would land inside that transaction, or read its uncommitted rows).
 */
export class AsyncLock {
  private tail: Promise<void> = Promise.resolve();
  private held = false;

  get isHeld(): boolean {
    return this.held;
  }

  run<R>(fn: () => Promise<R>): Promise<R> {
    const result = this.tail.then(async () => {
      this.held = true;
      try {
        return await fn();
      } finally {
        this.held = false;
      }
    });
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}
