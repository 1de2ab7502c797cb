import { apiConfig } from "@sigil/api";
import { demoLoginsInUse, DEFAULT_FILE_WORKERS, inspectSharedFile, quickCheckTenants, scanDataDirectory, tenantModel, type TenantHealth } from "@sigil/db";
import type { Command } from "commander";
import { openInstallation } from "../installation.ts";
import { wholeNumberOption } from "../options.ts";
import { bytes, json } from "../output.ts";
import type { Output } from "../program.ts";
import { progress } from "../progress.ts";

/** A WAL this large means checkpoints are not keeping up (a reader held open for long, or a crash loop). */
const LARGE_WAL_MIB = 64;

interface Finding {
  /** `problem`: needs the operator (exit code 1); `note`: worth knowing. */
  level: "problem" | "note";
  check: string;
  message: string;
}

interface DoctorOptions {
  concurrency: string;
  largeWal: string;
  json?: boolean;
}

/** Every tenant file's quick_check on worker threads, with progress on stderr. */
async function checkTenantFiles(ids: string[], concurrency: number, quiet: boolean): Promise<TenantHealth[]> {
  const results: TenantHealth[] = [];
  const bar = quiet ? null : progress(ids.length, "tenant files checked");
  await quickCheckTenants(ids, {
    concurrency,
    onResult: (health) => {
      results.push(health);
      bar?.update(results.length, results.filter((result) => result.state === "problem" || result.state === "missing").length);
    },
  });
  bar?.finish();
  return results;
}

async function doctor(options: DoctorOptions): Promise<{ findings: Finding[]; checked: Record<string, number> }> {
  const concurrency = wholeNumberOption("--concurrency", options.concurrency, { min: 1, max: 64 });
  const largeWalBytes = wholeNumberOption("--large-wal", options.largeWal, { min: 0, max: 1_000_000 }) * 1024 * 1024;
  const manager = openInstallation();
  const findings: Finding[] = [];
  const add = (level: Finding["level"], check: string, message: string) => findings.push({ level, check, message });

  const schema = await manager.sharedSchemaStatus();
  if (schema.version < schema.latest)
    add("problem", "shared schema", `shared.sqlite is at v${schema.version}, the code at v${schema.latest}: run pnpm sigil migrate.`);
  const integrity = inspectSharedFile(manager.options.dataDir, { integrity: true }).integrity;
  if (integrity.join() !== "ok") add("problem", "shared integrity", `shared.sqlite: ${integrity.slice(0, 5).join("; ")}`);

  // The directory as found, before the checks below open (and checkpoint) any file.
  const scan = scanDataDirectory(manager.options.dataDir);
  const tenants = await tenantModel.findMany({});
  const registered = new Map(tenants.map((tenant) => [tenant.id, tenant.slug]));
  const health = await checkTenantFiles([...registered.keys()], concurrency, options.json === true);
  for (const result of health) {
    const slug = registered.get(result.tenantId) ?? result.tenantId;
    if (result.state === "missing") add("problem", "tenant file", `${slug}: registered, but its file is missing.`);
    if (result.state === "problem")
      add("problem", "tenant integrity", `${slug}: ${result.result}; restore it from a backup: pnpm sigil restore --tenant ${slug} --from <backup set folder>`);
  }

  for (const file of scan.tenantFiles) {
    if (!registered.has(file.tenantId)) add("problem", "orphan file", `${file.path} (${bytes(file.bytes)}) belongs to no registered tenant.`);
    if (file.walBytes > largeWalBytes) add("note", "wal size", `${registered.get(file.tenantId) ?? file.tenantId}: its WAL is ${bytes(file.walBytes)}.`);
  }
  if (scan.shared && scan.shared.walBytes > largeWalBytes) add("note", "wal size", `shared.sqlite: its WAL is ${bytes(scan.shared.walBytes)}.`);
  for (const leftover of scan.provisioningLeftovers)
    add("note", "provisioning", `${leftover}: left by an interrupted provisioning (removed on the next one for that tenant).`);

  const rootDomain = apiConfig().rootDomain;
  if (rootDomain !== "localhost") {
    for (const login of await demoLoginsInUse())
      add("problem", "demo password", `${login}: a published demo password still signs in on ${rootDomain}. Change it.`);
  }
  return { findings, checked: { tenants: tenants.length, files: scan.tenantFiles.length } };
}

export function registerDoctorCommand(program: Command, output: Output): void {
  program
    .command("doctor")
    .description("check the installation: schema, integrity of every file, files without tenants and tenants without files, WAL sizes, demo passwords")
    .option("--concurrency <n>", "worker threads checking tenant files", String(DEFAULT_FILE_WORKERS))
    .option("--large-wal <MiB>", "note write-ahead logs larger than this", String(LARGE_WAL_MIB))
    .option("--json", "print JSON (no progress bar)")
    .action(async (options: DoctorOptions) => {
      const { findings, checked } = await doctor(options);
      const problems = findings.filter((finding) => finding.level === "problem").length;
      if (problems > 0) output.setExitCode(1);
      if (options.json) {
        output.print(json({ ok: problems === 0, checked, findings }));
        return;
      }
      const lines = findings.map((finding) => `${finding.level === "problem" ? "PROBLEM" : "note   "}  ${finding.check}: ${finding.message}`);
      lines.push(
        `${checked.tenants} tenants and ${checked.files} tenant files checked: ${problems === 0 ? "no problem found" : `${problems} problem${problems === 1 ? "" : "s"}`}${findings.length > problems ? `, ${findings.length - problems} note(s)` : ""}.`,
      );
      output.print(lines.join("\n"));
    });
}
