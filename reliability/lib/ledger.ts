/**
 * What the clients were told was written, per tenant. Every acknowledged write is recorded here
 * (and appended to acks.ndjson in the run's results folder) the moment its answer arrives; the
 * verifier (verify.ts) later holds the tenant files and the API to it. Writes whose answer was
 * lost (connection broken mid-request) are kept apart as "unknown": they may or may not exist.
 */
import { appendFileSync } from "node:fs";

export interface TenantRef {
  index: number;
  slug: string;
  id: string;
}

export interface PromptEntry {
  id: string;
  name: string;
  /** 1 (the create) + acknowledged updates; each update's template is unique, so each makes a version. */
  ackedVersions: number;
  unknownUpdates: number;
  deletion: "none" | "sent" | "acked" | "unknown";
  /** Executions run on it: never deleted (the setup's anchor prompt). */
  anchor: boolean;
}

export class TenantLedger {
  readonly prompts = new Map<string, PromptEntry>();
  /** Names of creates whose answer was lost. */
  readonly unknownCreates = new Set<string>();
  readonly executions = new Set<string>();
  unknownExecutions = 0;
  /** For the read check: creates acknowledged and deletes sent so far. */
  ackedCreates = 0;
  deletesSent = 0;
  private sequence = 0;

  constructor(readonly tenant: TenantRef) {}

  nextName(kind: string): string {
    this.sequence += 1;
    return `${this.tenant.slug}/${kind}${this.sequence}`;
  }

  /** Prompts that exist as far as the client knows, and that no delete was sent for. */
  livePrompts(): PromptEntry[] {
    return [...this.prompts.values()].filter((p) => p.deletion === "none");
  }
}

export class Ledger {
  readonly tenants: TenantLedger[];

  constructor(
    tenants: readonly TenantRef[],
    private readonly logFile: string | undefined,
  ) {
    this.tenants = tenants.map((t) => new TenantLedger(t));
  }

  of(tenant: TenantRef): TenantLedger {
    const ledger = this.tenants[tenant.index];
    if (!ledger) throw new Error(`No ledger for tenant #${tenant.index}`);
    return ledger;
  }

  /** Appends one acknowledged write to the log file (one JSON object per line). */
  log(tenant: TenantRef, write: string, id: string, extra: Record<string, unknown> = {}): void {
    if (this.logFile) appendFileSync(this.logFile, `${JSON.stringify({ at: new Date().toISOString(), tenant: tenant.slug, write, id, ...extra })}\n`);
  }

  promptCreated(tenant: TenantRef, id: string, name: string, anchor = false): void {
    const ledger = this.of(tenant);
    ledger.prompts.set(id, { id, name, ackedVersions: 1, unknownUpdates: 0, deletion: "none", anchor });
    ledger.ackedCreates += 1;
    this.log(tenant, "prompt.create", id, { name });
  }

  executionCreated(tenant: TenantRef, id: string): void {
    this.of(tenant).executions.add(id);
    this.log(tenant, "execution.create", id);
  }
}
