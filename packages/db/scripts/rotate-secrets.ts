/**
 * `pnpm --filter @sigil/db secrets:rotate`: re-encrypts every stored secret (provider API keys,
 * webhook secrets) under a new key in one transaction (src/secrets/maintenance.ts).
 *
 * With the key file (DATA_DIR/secret.key) a new random key replaces it, or SIGIL_SECRET_KEY_NEW
 * if set. With SIGIL_SECRET_KEY, SIGIL_SECRET_KEY_NEW is required; set SIGIL_SECRET_KEY to it
 * before the next start. Running servers pick up a rotated key file by themselves; after a
 * rotation of SIGIL_SECRET_KEY, restart them with the new value.
 */
import "./default-data-dir.ts";
import { HybridDatabaseManager, InvalidSettingError, readRotationSettings, rotateSecretKey, SigilDbError } from "../src/index.ts";

try {
  const { newKey } = readRotationSettings(process.env);
  const manager = HybridDatabaseManager.getInstance();
  await manager.runSharedMigrations();
  const result = await rotateSecretKey(manager, newKey);
  console.log(`Secrets re-encrypted: ${result.rewritten} setting(s), key ${result.from} → ${result.to}.`);
  if (result.source === "SIGIL_SECRET_KEY") console.log("Now set SIGIL_SECRET_KEY to the value of SIGIL_SECRET_KEY_NEW and restart Sigil.");
  else console.log(`New key in ${manager.secrets.keyFilePath}: back it up with the data directory.`);
  manager.close();
} catch (error) {
  if (!(error instanceof InvalidSettingError) && !(error instanceof SigilDbError)) throw error;
  console.error(error.message);
  process.exit(2);
}
