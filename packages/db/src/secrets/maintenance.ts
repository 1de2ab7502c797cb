import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { eq } from "drizzle-orm";
import type { HybridDatabaseManager } from "../hybrid-manager.ts";
import { SECRET_SETTING_FIELDS, sealSecretFields } from "../models/settings.ts";
import { SigilDbError } from "../errors.ts";
import { isSealedSecret, open, seal, secretKey, type SecretKey } from "./secret-box.ts";
import { createKeyFile, readKeyFile, replaceKeyFile } from "./secret-vault.ts";

/**
 * Installation-wide secret maintenance over every tenant's settings (system operations: they run
 * outside any tenant context, on shared.sqlite directly, each in one transaction).
 */

type Payload = Record<string, unknown>;

function rewriteSecrets(manager: HybridDatabaseManager, rewrite: (type: string, payload: Payload) => Payload | undefined): Promise<number> {
  return manager.sharedStore().session("write", async ({ db, t }) => {
    let rewritten = 0;
    const types = Object.keys(SECRET_SETTING_FIELDS);
    for (const row of await db.select().from(t.settings)) {
      if (!types.includes(row.type)) continue;
      const payload = rewrite(row.type, row.payload);
      if (!payload) continue;
      await db.update(t.settings).set({ payload }).where(eq(t.settings.id, row.id));
      rewritten += 1;
    }
    return rewritten;
  });
}

/**
 * Encrypts the secrets stored in plain text before encryption at rest existed. Idempotent: a
 * second run finds nothing to do. `pnpm db:migrate` (and so `pnpm start`) runs it; it also creates
 * the key file on first start.
 */
export function sealPlainSecrets(manager: HybridDatabaseManager): Promise<number> {
  const vault = manager.secrets;
  vault.load();
  return rewriteSecrets(manager, (type, payload) => {
    const plain = (SECRET_SETTING_FIELDS[type] ?? []).some(
      (field) => typeof payload[field] === "string" && payload[field] !== "" && !isSealedSecret(payload[field]),
    );
    return plain ? sealSecretFields(type, payload, (plaintext) => vault.seal(plaintext)) : undefined;
  });
}

export class SecretRotationError extends SigilDbError {
  constructor(message: string) {
    super("INVALID_SETTING", message);
  }
}

export interface RotationResult {
  from: string;
  to: string;
  rewritten: number;
  source: "SIGIL_SECRET_KEY" | "key file";
}

/**
 * Re-encrypts every stored secret under a new key, in one transaction: afterwards only the new key
 * reads them.
 *
 * - With the key file: the new key (`newKey`, else random) is first written to secret.key.next,
 *   the secrets are re-encrypted, then secret.key.next is renamed over secret.key. Interrupted at
 *   any point, the installation still reads every secret (the vault also loads secret.key.next),
 *   and a rerun resumes with the same next key.
 * - With SIGIL_SECRET_KEY: `newKey` is required (SIGIL_SECRET_KEY_NEW); set SIGIL_SECRET_KEY to
 *   it before the next start.
 */
export async function rotateSecretKey(manager: HybridDatabaseManager, newKey: Buffer | undefined): Promise<RotationResult> {
  const vault = manager.secrets;
  const keyring = vault.reload();
  let next: SecretKey;
  if (keyring.source === "SIGIL_SECRET_KEY") {
    if (!newKey) {
      throw new SecretRotationError(
        "SIGIL_SECRET_KEY is set, so the new key cannot be written to a file: set SIGIL_SECRET_KEY_NEW to the new key " +
          "(`openssl rand -base64 32`), run the rotation, then set SIGIL_SECRET_KEY to that value.",
      );
    }
    next = secretKey(newKey);
  } else {
    next =
      (existsSync(vault.nextKeyFilePath) ? readKeyFile(vault.nextKeyFilePath) : undefined) ?? createKeyFile(vault.nextKeyFilePath, newKey ?? randomBytes(32));
  }
  if (next.id === keyring.current.id) throw new SecretRotationError("The new key is the key in use: give a different one.");
  const keys = [...keyring.keys, next];
  const rewritten = await rewriteSecrets(manager, (type, payload) => {
    const fields = (SECRET_SETTING_FIELDS[type] ?? []).filter((field) => typeof payload[field] === "string" && payload[field] !== "");
    if (fields.length === 0) return undefined;
    const plain = { ...payload };
    for (const field of fields) {
      const value = payload[field];
      if (isSealedSecret(value)) plain[field] = open(keys, value);
    }
    return sealSecretFields(type, plain, (plaintext) => seal(next, plaintext));
  });
  if (keyring.source === "key file") {
    replaceKeyFile(vault.nextKeyFilePath, vault.keyFilePath);
    vault.reload();
  }
  return { from: keyring.current.id, to: next.id, rewritten, source: keyring.source };
}
