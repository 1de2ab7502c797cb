import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";
import bcrypt from "bcryptjs";

/**
 * How secrets are stored. Passwords: scrypt (memory-hard, node:crypto), parameters kept in the
 * hash so they can be raised later without breaking stored hashes. Tokens and API-key secrets
 * are high-entropy random strings, so a SHA-256 hash is enough and allows O(1) lookup.
 */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 } as const;

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

const maxmem = (N: number, r: number) => 128 * N * r * 2;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize("NFKC"), salt, SCRYPT.keyLength, {
    N: SCRYPT.N,
    r: SCRYPT.r,
    p: SCRYPT.p,
    maxmem: maxmem(SCRYPT.N, SCRYPT.r),
  });
  return ["scrypt", SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString("base64url"), key.toString("base64url")].join("$");
}

/**
 * bcrypt's modular crypt format (`$2a$`, `$2b$`, `$2y$`, cost, 22 salt + 31 hash characters), as
 * hypersigil stores passwords. Accepted at sign-in only, then replaced by scrypt (passwordNeedsRehash).
 */
const BCRYPT_HASH = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

export function isBcryptHash(stored: string): boolean {
  return BCRYPT_HASH.test(stored);
}

/** A stored hash that is not Sigil's own scrypt (an imported bcrypt hash): rehash it after a successful sign-in. */
export function passwordNeedsRehash(stored: string): boolean {
  return !stored.startsWith("scrypt$");
}

/** Constant-time check of a password against a stored hash (scrypt, or an imported bcrypt hash); false for any malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  // bcrypt hashes the raw bytes (no NFKC), as hypersigil's bcrypt.compare did.
  if (isBcryptHash(stored)) return bcrypt.compare(password, stored);
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, "base64url");
  const N = Number(n);
  const R = Number(r);
  const actual = await scrypt(password.normalize("NFKC"), Buffer.from(salt, "base64url"), expected.length, {
    N,
    r: R,
    p: Number(p),
    maxmem: maxmem(N, R),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** A random URL-safe token (sessions, invitations, API-key secrets). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** Compares two hex digests without leaking where they differ. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
