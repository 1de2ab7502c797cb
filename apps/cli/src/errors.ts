/** A failure the CLI reports as one sentence and an exit code: 2 for a wrong command line, 1 otherwise. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** A wrong command line (an unknown value, a malformed number): exit code 2. */
export const usageError = (message: string) => new CliError(message, 2);
