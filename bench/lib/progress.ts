/**
 * Progress goes to stderr so stdout holds only the results table. On a terminal the counter is
 * rewritten in place; in a log (CI, `| tee`) one line is printed per quarter so logs stay short.
 */
const interactive = process.stderr.isTTY === true;

export function step(message: string): void {
  process.stderr.write(`• ${message}\n`);
}

export interface Progress {
  tick(done: number): void;
  finish(): void;
}

export function progress(label: string, total: number): Progress {
  let lastQuarter = 0;
  const render = (done: number) => `  ${label}… ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")}`;
  return {
    tick(done) {
      if (interactive) {
        process.stderr.write(`\r${render(done)}`);
        return;
      }
      const quarter = Math.floor((done / total) * 4);
      if (quarter > lastQuarter && quarter < 4) {
        lastQuarter = quarter;
        process.stderr.write(`${render(done)}\n`);
      }
    },
    finish() {
      if (interactive) process.stderr.write(`\r${render(total)}\n`);
      else process.stderr.write(`${render(total)}\n`);
    },
  };
}
