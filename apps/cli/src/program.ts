import { inspect } from "node:util";
import { describeFailure } from "@sigil/api";
import { Command, CommanderError } from "commander";
import { registerBackupCommand } from "./commands/backup.ts";
import { registerDoctorCommand } from "./commands/doctor.ts";
import { registerMaintenanceCommands } from "./commands/maintenance.ts";
import { registerMigrateCommand } from "./commands/migrate.ts";
import { registerRestoreCommand } from "./commands/restore.ts";
import { registerStatusCommand } from "./commands/status.ts";
import { registerTenantCommands } from "./commands/tenants.ts";
import { registerUserCommands } from "./commands/users.ts";
import { CliError } from "./errors.ts";

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

/** What a command gets: where its result goes, and how to end with a failure after printing it. */
export interface Output {
  print: (text: string) => void;
  /** The exit code once the command returns (e.g. 1 when some tenants failed to migrate). */
  setExitCode: (code: 1 | 2) => void;
}

const processIo: Io = { out: (text) => process.stdout.write(`${text}\n`), err: (text) => process.stderr.write(`${text}\n`) };

function program(io: Io, output: Output): Command {
  const sigil = new Command("sigil")
    .description("Operate a Sigil installation: its tenants and their schema (DATA_DIR, default apps/web/data).")
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()) })
    .showHelpAfterError("(sigil --help lists the commands)");
  registerTenantCommands(sigil, output);
  registerStatusCommand(sigil, output);
  registerMigrateCommand(sigil, output);
  registerUserCommands(sigil, output);
  registerDoctorCommand(sigil, output);
  registerMaintenanceCommands(sigil, output);
  registerBackupCommand(sigil, output);
  registerRestoreCommand(sigil, output);
  return sigil;
}

/**
 * Runs one command line (without `node` and the script) and returns the exit code: 0 done, 1 it
 * failed (a sentence on stderr says why), 2 the command line was wrong.
 */
export async function runCli(args: string[], io: Io = processIo): Promise<number> {
  try {
    let code = 0;
    await program(io, { print: io.out, setExitCode: (failed) => (code = failed) }).parseAsync(args, { from: "user" });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof CliError) {
      io.err(`sigil: ${error.message}`);
      return error.exitCode;
    }
    // The services' own errors (a taken slug, a full seat limit…), worded as the API words them.
    const failure = describeFailure(error);
    io.err(`sigil: ${failure.message}`);
    if (failure.cause instanceof Error) io.err(failure.cause.stack ?? failure.cause.message);
    else if (failure.cause !== undefined) io.err(inspect(failure.cause));
    return 1;
  }
}
