import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { SecretUnreadableError } from "../errors.ts";

/**
 * Secrets at rest (provider API keys, webhook secrets): AES-256-GCM with a random 12-byte IV and
 * its 16-byte authentication tag, stored as text
 *
 *   sgs1:<key id>:<iv>:<tag>:<ciphertext>        (base64url parts)
 *
 * `sgs1` is the format version; the key id (a fingerprint of the key, not the key) tells which
 * key sealed the value, so a rotation can hold two keys at once and a wrong key is reported as
 * such instead of failing as corrupt data.
 */
const FORMAT = "sgs1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface SecretKey {
  /** A fingerprint of the key: safe to store and to print. */
  id: string;
  key: Buffer;
}

export function secretKey(key: Buffer): SecretKey {
  if (key.length !== 32) throw new RangeError(`A secret key has 32 bytes, not ${key.length}.`);
  return { id: createHash("sha256").update("sigil secret key id\0").update(key).digest("hex").slice(0, 12), key };
}

export function isSealedSecret(value: unknown): value is string {
  return typeof value === "string" && value.startsWith(`${FORMAT}:`);
}

export function sealedSecretKeyId(sealed: string): string | undefined {
  return isSealedSecret(sealed) ? sealed.split(":")[1] : undefined;
}

export function seal(key: SecretKey, plaintext: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key.key, iv);
  // The version and key id are authenticated too: neither can be swapped on a stored value.
  cipher.setAAD(Buffer.from(`${FORMAT}:${key.id}`));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [FORMAT, key.id, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(":");
}

/** Decrypts with whichever key of `keys` sealed the value; refuses unknown keys and altered data. */
export function open(keys: readonly SecretKey[], sealed: string): string {
  const parts = sealed.split(":");
  const [format, keyId, iv, tag, ciphertext] = parts;
  if (parts.length !== 5 || format !== FORMAT || !keyId || iv === undefined || tag === undefined || ciphertext === undefined) {
    throw new SecretUnreadableError(`A stored secret is not in the expected format (${FORMAT}:…): save it again.`);
  }
  const key = keys.find((candidate) => candidate.id === keyId);
  if (!key) {
    throw new SecretUnreadableError(
      `A stored secret was encrypted under key ${keyId}, which this installation does not have (its key is ` +
        `${keys.map((candidate) => candidate.id).join(", ") || "none"}). Restore the key file from the backup of the data ` +
        `directory, or set SIGIL_SECRET_KEY to the key in use when the secret was saved.`,
    );
  }
  const ivBytes = Buffer.from(iv, "base64url");
  const tagBytes = Buffer.from(tag, "base64url");
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
    throw new SecretUnreadableError("A stored secret failed its integrity check (altered or corrupt): save it again.");
  }
  try {
    const decipher = createDecipheriv("aes-256-gcm", key.key, ivBytes);
    decipher.setAAD(Buffer.from(`${FORMAT}:${keyId}`));
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretUnreadableError("A stored secret failed its integrity check (altered or corrupt): save it again.");
  }
}
