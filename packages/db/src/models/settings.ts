import { and, eq } from "drizzle-orm";
import { TenantScopeViolationError } from "../errors.ts";
import { HybridDatabaseManager } from "../hybrid-manager.ts";
import { settings } from "../schema/shared/settings.ts";
import { isSealedSecret } from "../secrets/secret-box.ts";
import { tenantContext } from "../tenant-context.ts";
import type { RowOf } from "./base-model.ts";
import { SharedModel } from "./strategies.ts";
import { rowLimit } from "../engine/dialect.ts";

export type SettingRow = RowOf<typeof settings>;

/**
 * The payload fields of each setting type that hold secrets. `upsert` stores them sealed
 * (AES-256-GCM, src/secrets/secret-box.ts) with a `<field>Hint` (last 4 characters, or null);
 * `revealSecret` gives the plain text back to the one caller that sends it (the provider call).
 */
export const SECRET_SETTING_FIELDS: Readonly<Record<string, readonly string[]>> = {
  provider: ["apiKey"],
  webhook: ["secret"],
};

export function secretHint(plaintext: string): string | null {
  return plaintext.length >= 8 ? `…${plaintext.slice(-4)}` : null;
}

/**
 * Seals the plain secret fields of a payload (already sealed values are kept, with the hint of
 * the payload or of `previous`). Pure apart from the encryption; used by upsert and the migration
 * of plain rows (src/secrets/maintenance.ts).
 */
export function sealSecretFields(
  type: string,
  payload: Record<string, unknown>,
  seal: (plaintext: string) => string,
  previous?: Record<string, unknown>,
): Record<string, unknown> {
  const sealed = { ...payload };
  for (const field of SECRET_SETTING_FIELDS[type] ?? []) {
    const value = payload[field];
    if (typeof value !== "string" || value === "") continue;
    const hintField = `${field}Hint`;
    if (isSealedSecret(value)) {
      sealed[hintField] = payload[hintField] ?? previous?.[hintField] ?? null;
    } else {
      sealed[field] = seal(value);
      sealed[hintField] = secretHint(value);
    }
  }
  return sealed;
}

export class SettingsModel extends SharedModel<typeof settings> {
  constructor() {
    super(settings);
  }

  async get(type: string, identifier: string): Promise<SettingRow | null> {
    return this.findOne({ type, identifier });
  }

  /** Creates or replaces one setting atomically; its secret fields are stored encrypted. */
  async upsert(type: string, identifier: string, payload: Record<string, unknown>): Promise<SettingRow> {
    const vault = HybridDatabaseManager.getInstance().secrets;
    return this.session("settings.upsert", "write", async (s) => {
      const table = this.tableIn(s);
      const [existing] = await s.db
        .select()
        .from(table)
        .where(this.condition(table, and(eq(table.type, type), eq(table.identifier, identifier))))
        .limit(rowLimit(1));
      const stored = sealSecretFields(type, payload, (plaintext) => vault.seal(plaintext), existing?.payload);
      if (existing) {
        const [updated] = await s.db
          .update(table)
          .set({ payload: stored, updatedAt: new Date() })
          .where(this.condition(table, eq(table.id, existing.id)))
          .returning();
        if (updated) return updated;
      }
      return this.insertRow(s, { type, identifier, payload: stored });
    });
  }

  /**
   * The plain text of a secret field of a stored setting of the current tenant (undefined when it
   * has none). Fails closed like every tenant-scoped method: outside a tenant context, or for a
   * row of another tenant. Throws SecretUnreadableError for a key this installation does not have
   * or an altered value.
   */
  async revealSecret(row: SettingRow, field: string): Promise<string | undefined> {
    if (row.tenantId !== tenantContext.getCurrentTenantId()) throw new TenantScopeViolationError("settings.revealSecret");
    const value = row.payload[field];
    if (typeof value !== "string" || value === "") return undefined;
    // A row written before secrets were encrypted, until `pnpm db:migrate` seals it.
    if (!isSealedSecret(value)) return value;
    return Promise.resolve(HybridDatabaseManager.getInstance().secrets.open(value));
  }
}

export const settingsModel = new SettingsModel();
