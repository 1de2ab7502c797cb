/**
 * Holds the installation to the ledger. Per tenant, what the API lists and what the tenant's
 * file holds (read through @sigil/db's read-only inspection: docs/architecture.md, Layers) must
 * both equal what the clients were told: every acknowledged prompt and execution present, every
 * acknowledged delete gone, as many versions as acknowledged updates, nothing that belongs to
 * another tenant, nothing nobody wrote. `compare` is pure, so the suite can prove on planted data
 * that it does fail (selfCheck in run.ts).
 */
import { callProcedure, dataOf } from "./api.ts";
import type { StoredData } from "./storage.ts";
import type { Ledger, TenantLedger } from "./ledger.ts";
import type { LoadTenant } from "./workload.ts";

export interface ObservedRow {
  id: string;
  name?: string;
}

/** One tenant as seen through one channel (the API or its file). */
export interface Observation {
  prompts: ObservedRow[];
  /** Versions per prompt id (file only). */
  versions?: Map<string, number>;
  executions: { id: string; status: string }[];
}

export type FindingKind = "lost-write" | "deleted-row-back" | "cross-tenant-row" | "unacknowledged-row" | "version-mismatch" | "integrity" | "stuck-execution";

export interface Finding {
  kind: FindingKind;
  tenant: string;
  channel: "api" | "file" | "both";
  detail: string;
}

export interface TenantCounts {
  tenant: string;
  expectedPrompts: number;
  apiPrompts: number;
  filePrompts: number;
  expectedExecutions: number;
  apiExecutions: number;
  fileExecutions: number;
  unknownWrites: number;
}

/** Which tenant's ledger, if any, acknowledged an id. */
function ownerIndex(ledger: Ledger): Map<string, string> {
  const owners = new Map<string, string>();
  for (const t of ledger.tenants) {
    for (const id of t.prompts.keys()) owners.set(id, t.tenant.slug);
    for (const id of t.executions) owners.set(id, t.tenant.slug);
  }
  return owners;
}

/** Compares one channel's observation of a tenant with its ledger. */
export function compare(ledger: Ledger, tenant: TenantLedger, seen: Observation, channel: "api" | "file"): Finding[] {
  const findings: Finding[] = [];
  const slug = tenant.tenant.slug;
  const owners = ownerIndex(ledger);
  const add = (kind: FindingKind, detail: string) => findings.push({ kind, tenant: slug, channel, detail });

  const seenPrompts = new Map(seen.prompts.map((row) => [row.id, row]));
  for (const row of seen.prompts) {
    const owner = owners.get(row.id);
    const namedFor = row.name?.split("/")[0];
    if ((owner !== undefined && owner !== slug) || (namedFor !== undefined && namedFor !== slug)) {
      add("cross-tenant-row", `prompt ${row.id} (${row.name ?? "?"}) belongs to ${owner ?? namedFor ?? "?"}`);
    } else if (owner === undefined && !(row.name !== undefined && tenant.unknownCreates.has(row.name))) {
      add("unacknowledged-row", `prompt ${row.id} (${row.name ?? "?"}) was never acknowledged nor sent without answer`);
    }
  }
  for (const entry of tenant.prompts.values()) {
    const present = seenPrompts.has(entry.id);
    if (!present && (entry.deletion === "none" || entry.deletion === "sent")) add("lost-write", `acknowledged prompt ${entry.id} (${entry.name}) is missing`);
    if (present && entry.deletion === "acked") add("deleted-row-back", `prompt ${entry.id} (${entry.name}) was deleted (acknowledged) but is there`);
    const versions = seen.versions?.get(entry.id);
    if (present && versions !== undefined && (versions < entry.ackedVersions || versions > entry.ackedVersions + entry.unknownUpdates)) {
      add("version-mismatch", `prompt ${entry.id} has ${versions} versions; acknowledged ${entry.ackedVersions} (+${entry.unknownUpdates} unknown)`);
    }
  }

  const seenExecutions = new Set(seen.executions.map((e) => e.id));
  let unacknowledgedExecutions = 0;
  for (const execution of seen.executions) {
    const owner = owners.get(execution.id);
    if (owner !== undefined && owner !== slug) add("cross-tenant-row", `execution ${execution.id} belongs to ${owner}`);
    else if (owner === undefined) unacknowledgedExecutions += 1;
  }
  if (unacknowledgedExecutions > tenant.unknownExecutions) {
    add("unacknowledged-row", `${unacknowledgedExecutions} executions were never acknowledged (only ${tenant.unknownExecutions} went unanswered)`);
  }
  for (const id of tenant.executions) if (!seenExecutions.has(id)) add("lost-write", `acknowledged execution ${id} is missing`);
  return findings;
}

export function expectedPromptCount(tenant: TenantLedger): number {
  return [...tenant.prompts.values()].filter((p) => p.deletion === "none" || p.deletion === "sent").length;
}

/** Every prompt and execution of a tenant through its API (all pages). */
export async function observeThroughApi(tenant: LoadTenant): Promise<Observation> {
  const key = { baseUrl: tenant.baseUrl, apiKey: tenant.apiKey };
  const prompts: ObservedRow[] = [];
  const executions: { id: string; status: string }[] = [];
  for (let page = 1; ; page += 1) {
    const data = dataOf<{ data: { id: string; name: string }[]; totalPages: number }>(
      await callProcedure(key, "query", "prompts.list", { page, pageSize: 100 }),
      `prompts.list of ${tenant.slug}`,
    );
    prompts.push(...data.data.map(({ id, name }) => ({ id, name })));
    if (page >= data.totalPages) break;
  }
  for (let page = 1; ; page += 1) {
    const data = dataOf<{ data: { id: string; status: string }[]; totalPages: number }>(
      await callProcedure(key, "query", "executions.list", { page, pageSize: 100 }),
      `executions.list of ${tenant.slug}`,
    );
    executions.push(...data.data.map(({ id, status }) => ({ id, status })));
    if (page >= data.totalPages) break;
  }
  return { prompts, executions };
}

/** The same from what the tenant's store holds (its file, read-only, or its PostgreSQL schema). */
export async function observeStored(storage: StoredData, tenant: LoadTenant): Promise<Observation> {
  const rows = await storage.rows(tenant.id, ["prompts", "prompt_versions", "executions"]);
  const versions = new Map<string, number>();
  for (const row of rows.prompt_versions ?? []) {
    const id = String(row.prompt_id);
    versions.set(id, (versions.get(id) ?? 0) + 1);
  }
  return {
    prompts: (rows.prompts ?? []).map((row) => ({ id: String(row.id), name: String(row.name) })),
    versions,
    executions: (rows.executions ?? []).map((row) => ({ id: String(row.id), status: String(row.status) })),
  };
}

export interface Verification {
  findings: Finding[];
  counts: TenantCounts[];
  integrityChecked: number;
  executionsByStatus: Record<string, number>;
}

/** Verifies every tenant through the API and its store; `integrity` also runs the engine's integrity check where it has one. */
export async function verifyAll(
  storage: StoredData,
  tenants: readonly LoadTenant[],
  ledger: Ledger,
  options: { integrity: boolean; noRunning: boolean },
): Promise<Verification> {
  const findings: Finding[] = [];
  const counts: TenantCounts[] = [];
  const executionsByStatus: Record<string, number> = {};
  let integrityChecked = 0;
  for (const tenant of tenants) {
    const book = ledger.of(tenant);
    const api = await observeThroughApi(tenant);
    const file = await observeStored(storage, tenant);
    findings.push(...compare(ledger, book, api, "api"), ...compare(ledger, book, file, "file"));
    const integrity = options.integrity ? await storage.integrity(tenant.id) : null;
    if (integrity) {
      integrityChecked += 1;
      if (integrity.join("\n") !== "ok") findings.push({ kind: "integrity", tenant: tenant.slug, channel: "file", detail: integrity.join("; ") });
    }
    for (const execution of file.executions) {
      executionsByStatus[execution.status] = (executionsByStatus[execution.status] ?? 0) + 1;
      if (options.noRunning && execution.status === "running") {
        findings.push({ kind: "stuck-execution", tenant: tenant.slug, channel: "file", detail: `execution ${execution.id} is still running` });
      }
    }
    counts.push({
      tenant: tenant.slug,
      expectedPrompts: expectedPromptCount(book),
      apiPrompts: api.prompts.length,
      filePrompts: file.prompts.length,
      expectedExecutions: book.executions.size,
      apiExecutions: api.executions.length,
      fileExecutions: file.executions.length,
      unknownWrites:
        book.unknownCreates.size +
        book.unknownExecutions +
        [...book.prompts.values()].reduce((a, p) => a + p.unknownUpdates + (p.deletion === "unknown" ? 1 : 0), 0),
    });
  }
  const shared = options.integrity ? await storage.sharedIntegrity() : null;
  if (shared) {
    integrityChecked += 1;
    if (shared.join("\n") !== "ok") findings.push({ kind: "integrity", tenant: "(shared.sqlite)", channel: "file", detail: shared.join("; ") });
  }
  return { findings, counts, integrityChecked, executionsByStatus };
}

/** Executions `running` and `pending` over every tenant's store (read-only), with the running ones' ids. */
export async function executionStates(storage: StoredData, tenants: readonly LoadTenant[]): Promise<{ running: string[]; pending: number }> {
  const running: string[] = [];
  let pending = 0;
  for (const tenant of tenants) {
    for (const row of (await storage.rows(tenant.id, ["executions"])).executions ?? []) {
      if (row.status === "running") running.push(String(row.id));
      if (row.status === "pending") pending += 1;
    }
  }
  return { running, pending };
}
