import { HybridDatabaseManager, watchWorkSignal, type WorkSignalWatch } from "@sigil/db";
import { errorMessage } from "./provider.ts";

/** setTimeout's longest delay (2^31 - 1 ms); a longer one fires at once. */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

export interface IdleLoopOptions {
  /** Watch the data directory's signal file (packages/db/src/work-signal.ts) to be woken at once. */
  wakeOnSignal: boolean;
  /** What the loop does, for its error messages ("executions", "webhook deliveries"). */
  what: string;
  /** One pass; true when it stopped at a limit with work left (the next pass runs at once). */
  pass: () => Promise<boolean>;
  /**
   * How long to sleep after a pass that left nothing (ms; null: until woken). `wakeable` is false
   * when signals cannot reach the loop (off, or watching failed): it must then poll.
   */
  idleWaitMs: (wakeable: boolean) => Promise<number | null>;
  onError: (message: string) => void;
}

/**
 * The loop of a worker process's background job (ExecutionWorker, WebhookDeliverer): a pass, then
 * sleep until the job's next due time, a signal of new work from another process, or stop().
 */
export class IdleLoop {
  private loop: Promise<void> | undefined;
  private loopStop: AbortController | undefined;
  private signalWatch: WorkSignalWatch | undefined;
  /** Set when watching the signal file failed: the loop polls from then on. */
  private watchFailed = false;
  /** A signal arrived since the current pass began: do not pause after it. */
  private woken = false;
  private wakePause: (() => void) | undefined;

  constructor(private readonly options: IdleLoopOptions) {}

  get running(): boolean {
    return this.loop !== undefined;
  }

  /** Starts the loop (no-op if it runs). */
  start(): void {
    if (this.loop) return;
    const stop = new AbortController();
    this.loopStop = stop;
    if (this.options.wakeOnSignal) {
      this.signalWatch = watchWorkSignal(
        HybridDatabaseManager.getInstance().options.dataDir,
        () => this.wake(),
        (error) => {
          this.watchFailed = true;
          this.wakePause?.();
          this.options.onError(`Watching for new ${this.options.what} failed (polling instead): ${errorMessage(error)}`);
        },
      );
    }
    this.loop = this.run(stop.signal);
  }

  /** No new pass starts; call `finished()` to wait for the current one. */
  halt(): void {
    this.loopStop?.abort();
    this.signalWatch?.close();
    this.signalWatch = undefined;
  }

  /** Resolves when the loop has ended (after `halt`). */
  async finished(): Promise<void> {
    await this.loop;
    this.loop = undefined;
    this.loopStop = undefined;
  }

  wake(): void {
    this.woken = true;
    this.wakePause?.();
  }

  private async run(stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      this.woken = false;
      let more = false;
      try {
        more = await this.options.pass();
      } catch (error) {
        this.options.onError(`A pass over ${this.options.what} failed: ${errorMessage(error)}`);
      }
      if (stop.aborted) break;
      if (!more && !this.woken) await this.pause(stop);
    }
  }

  /** Waits for the idle wait, a signal of new work, or stop(), whichever comes first. */
  private async pause(stop: AbortSignal): Promise<void> {
    const wait = await this.options.idleWaitMs(this.options.wakeOnSignal && !this.watchFailed);
    // Woken or stopped while the wait was being read: no pause.
    if (this.woken || stop.aborted) return;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        stop.removeEventListener("abort", done);
        this.wakePause = undefined;
        resolve();
      };
      // Nothing due: sleep until woken. The timer is still set (at the longest delay a timer
      // takes, ~24.8 days) because it is what keeps the process alive meanwhile.
      const timer = setTimeout(done, Math.min(wait ?? MAX_TIMER_DELAY_MS, MAX_TIMER_DELAY_MS));
      stop.addEventListener("abort", done, { once: true });
      this.wakePause = done;
    });
  }
}
