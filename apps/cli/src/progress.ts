/**
 * Progress of a long operation on stderr (stdout keeps the result, for pipes and --json): a bar
 * redrawn in place on a terminal; elsewhere (CI logs, pipes) a line every few seconds.
 */
export interface Progress {
  update(done: number, failed: number): void;
  finish(): void;
}

const BAR = 30;
const LINE_EVERY_MS = 3_000;

export function progress(total: number, what: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = Date.now();
  let lastLine = 0;
  let current = { done: 0, failed: 0 };
  // Off a terminal: what the last line said, so that finish does not repeat it.
  let printed: { done: number; failed: number } | undefined;
  const text = () => {
    const { done, failed } = current;
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? ` ${Math.round(done / seconds)}/s` : "";
    return `${done}/${total} ${what}${failed > 0 ? `, ${failed} failed` : ""}${rate}`;
  };
  const draw = () => {
    if (stream.isTTY) {
      const filled = total === 0 ? BAR : Math.round((current.done / total) * BAR);
      stream.write(`\r[${"#".repeat(filled)}${".".repeat(BAR - filled)}] ${text()}\u001b[K`);
    } else if (Date.now() - lastLine >= LINE_EVERY_MS) {
      lastLine = Date.now();
      printed = current;
      stream.write(`${text()}\n`);
    }
  };
  return {
    update(done, failed) {
      current = { done, failed };
      draw();
    },
    finish() {
      if (stream.isTTY) stream.write(`\r[${"#".repeat(BAR)}] ${text()}\u001b[K\n`);
      else if (printed?.done !== current.done || printed.failed !== current.failed) stream.write(`${text()}\n`);
    },
  };
}
