import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * hypersigil's encryption of provider API keys (backend/src/util/encryption.ts): AES-256-GCM
 * under the base64 `ENCRYPTION_KEY`, a 16-byte IV, the additional data "hypersigil", stored as
 * `<iv>:<tag>:<ciphertext>`, each base64.
 */

/** The key hypersigil uses when ENCRYPTION_KEY is unset (backend/src/config/index.ts). */
export const HYPERSIGIL_DEFAULT_ENCRYPTION_KEY = "hZBREfHveS5WoaXE6CxzPlrGgoBqp2uWabt8XXNZPfU=";

const AAD = Buffer.from("hypersigil");

/** The 32-byte key of a base64 ENCRYPTION_KEY, or undefined when it is not one. */
export function hypersigilKey(base64: string): Buffer | undefined {
  const key = Buffer.from(base64, "base64");
  return key.length === 32 ? key : undefined;
}

export function encryptHypersigilSecret(plaintext: string, key: Buffer): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(AAD);
  const encrypted = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${iv.toString("base64")}:${cipher.getAuthTag().toString("base64")}:${encrypted.toString("base64")}`;
}

/** The plain text, or a sentence saying why it cannot be had (wrong key, altered or malformed value). */
export function decryptHypersigilSecret(stored: string, key: Buffer): { plaintext: string } | { problem: string } {
  const [iv, tag, encrypted, ...rest] = stored.split(":");
  if (!iv || !tag || !encrypted || rest.length > 0) return { problem: "it is not in hypersigil's encrypted format (iv:tag:data)" };
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64"));
    decipher.setAuthTag(Buffer.from(tag, "base64"));
    decipher.setAAD(AAD);
    return { plaintext: Buffer.concat([decipher.update(Buffer.from(encrypted, "base64")), decipher.final()]).toString("utf8") };
  } catch {
    return { problem: "it does not decrypt with the given hypersigil encryption key (another ENCRYPTION_KEY, or altered)" };
  }
}
