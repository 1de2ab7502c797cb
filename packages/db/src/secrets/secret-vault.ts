import { randomBytes } from "node:crypto";
import { closeSync, existsSync, fsyncSync, linkSync, openSync, readFileSync, renameSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { SecretUnreadableError } from "../errors.ts";
import { parseSecretKey, SECRET_KEY_EXPECTED } from "../settings.ts";
import { open, seal, sealedSecretKeyId, secretKey, type SecretKey } from "./secret-box.ts";

/** The key file used when SIGIL_SECRET_KEY is unset: back it up with the data directory. */
export const SECRET_KEY_FILE = "secret.key";
/** A rotation writes the new key here first and renames it over the key file once every secret is re-encrypted. */
export const NEXT_SECRET_KEY_FILE = "secret.key.next";

export interface SecretKeyring {
  /** The key new secrets are sealed with. */
  current: SecretKey;
  /** Every key a stored secret may be sealed with (the current one, and a rotation's next key). */
  keys: SecretKey[];
  source: "SIGIL_SECRET_KEY" | "key file";
}

/**
 * The installation's secret key, from SIGIL_SECRET_KEY or else from `<DATA_DIR>/secret.key`,
 * which is created (mode 0600) on first use. Loaded lazily and cached; reloaded once when a value
 * names a key it does not know (a rotation ran in another process).
 */
export class SecretVault {
  private keyring: SecretKeyring | undefined;

  constructor(
    readonly dataDir: string,
    private readonly environmentKey: Buffer | undefined,
  ) {}

  get keyFilePath(): string {
    return join(this.dataDir, SECRET_KEY_FILE);
  }

  get nextKeyFilePath(): string {
    return join(this.dataDir, NEXT_SECRET_KEY_FILE);
  }

  load(): SecretKeyring {
    this.keyring ??= this.readKeyring();
    return this.keyring;
  }

  reload(): SecretKeyring {
    this.keyring = undefined;
    return this.load();
  }

  seal(plaintext: string): string {
    return seal(this.load().current, plaintext);
  }

  open(sealed: string): string {
    const keyId = sealedSecretKeyId(sealed);
    if (keyId !== undefined && !this.load().keys.some((key) => key.id === keyId)) this.reload();
    return open(this.load().keys, sealed);
  }

  private readKeyring(): SecretKeyring {
    if (this.environmentKey) {
      const current = secretKey(this.environmentKey);
      return { current, keys: [current], source: "SIGIL_SECRET_KEY" };
    }
    const current = readKeyFile(this.keyFilePath) ?? createKeyFile(this.keyFilePath);
    // An interrupted rotation: some secrets may already be sealed with the next key.
    const next = existsSync(this.nextKeyFilePath) ? readKeyFile(this.nextKeyFilePath) : undefined;
    return { current, keys: next ? [current, next] : [current], source: "key file" };
  }
}

export function readKeyFile(path: string): SecretKey | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const key = parseSecretKey(text);
  if (!key) throw new SecretUnreadableError(`The key file ${path} does not hold a key (expected ${SECRET_KEY_EXPECTED}).`);
  return secretKey(key);
}

/**
 * Writes a key file atomically with mode 0600: a temporary file, fsynced, then hard-linked into
 * place, which fails if another process created the file first (then that key is used).
 */
export function createKeyFile(path: string, key: Buffer = randomBytes(32)): SecretKey {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  writeKeyFile(temporary, key);
  try {
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const existing = readKeyFile(path);
    if (!existing) throw error;
    return existing;
  } finally {
    rmSync(temporary, { force: true });
  }
  return secretKey(key);
}

/** Replaces `path` with the key in `from` (an atomic rename). */
export function replaceKeyFile(from: string, path: string): void {
  renameSync(from, path);
}

function writeKeyFile(path: string, key: Buffer): void {
  const fd = openSync(path, "wx", 0o600);
  try {
    writeSync(fd, `${key.toString("base64")}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
