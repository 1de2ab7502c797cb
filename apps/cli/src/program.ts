import { inspect } from "node:util";
import { describeFailure } from "@sigil/api";
import { closeSigilConnections, TRPCClientError } from "@sigil/client";
import { Command, CommanderError } from "commander";
import { registerArchiveCommands } from "./commands/archive.ts";
import { registerDoctorCommand } from "./commands/doctor.ts";
import { registerImportHypersigilCommand } from "./commands/import-hypersigil.ts";
import { registerMigrateCommand } from "./commands/migrate.ts";
import { registerRunCommand } from "./commands/run.ts";
import { registerBackupCommand } from "./commands/backup.ts";
import { registerMaintenanceCommands } from "./commands/maintenance.ts";
import { registerRestoreCommand } from "./commands/restore.ts";
import { registerStatusCommand } from "./commands/status.ts";
import { registerTenantCommands } from "./commands/tenants.ts";
import { registerUserCommands } from "./commands/users.ts";
import { CliError } from "./errors.ts";
import { assertTargetFits } from "./target.ts";

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
    .showHelpAfterError("(sigil --help lists the commands)")
    .option("--url <url>", "work through the API of the server at this URL (its root or admin host) instead of DATA_DIR")
    .option("--key <key>", "a system administrator's API key (sgla_…) for --url; or set SIGIL_ADMIN_KEY")
    .hook("preAction", (_program, command) => assertTargetFits(command));
  registerTenantCommands(sigil, output);
  registerStatusCommand(sigil, output);
  registerMigrateCommand(sigil, output);
  registerUserCommands(sigil, output);
  registerDoctorCommand(sigil, output);
  registerRunCommand(sigil, output, io);
  registerArchiveCommands(sigil, output);
  registerImportHypersigilCommand(sigil, output);
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
    if (error instanceof TRPCClientError) {
      io.err(`sigil: ${remoteFailure(error as Error & { data?: unknown })}`);
      return 1;
    }
    // The services' own errors (a taken slug, a full seat limit…), worded as the API words them.
    const failure = describeFailure(error);
    io.err(`sigil: ${failure.message}`);
    if (failure.cause instanceof Error) io.err(failure.cause.stack ?? failure.cause.message);
    else if (failure.cause !== undefined) io.err(inspect(failure.cause));
    return 1;
  } finally {
    await closeSigilConnections();
  }
}

/** The system error code (ECONNREFUSED…) somewhere in the causes of a failed fetch, if any. */
function networkErrorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth += 1) {
    const code: unknown = (current as { code?: unknown }).code;
    if (typeof code === "string" && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) return code;
  }
  return undefined;
}

/** What the server answered, or why it could not be reached, as one sentence. */
function remoteFailure(error: Error & { data?: unknown }): string {
  const code = networkErrorCode(error);
  if (code !== undefined) return `cannot reach the server (${code}): is it running at --url?`;
  const status = (error.data as { httpStatus?: unknown } | undefined)?.httpStatus;
  return typeof status === "number" ? `the server answered ${status}: ${error.message}` : error.message;
}
