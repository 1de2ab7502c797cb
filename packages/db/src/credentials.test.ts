import bcrypt from "bcryptjs";
import { describe, expect, it } from "vitest";
import { hashPassword, isBcryptHash, passwordNeedsRehash, verifyPassword } from "./credentials.ts";

describe("password hashes imported from hypersigil (bcrypt)", () => {
  const hash = bcrypt.hashSync("hypersigil-password", 4);

  it("verifies every bcrypt variant hypersigil's libraries write, and refuses a wrong password", async () => {
    for (const variant of ["$2a$", "$2b$", "$2y$"]) {
      const stored = variant + hash.slice(4);
      expect(await verifyPassword("hypersigil-password", stored)).toBe(true);
      expect(await verifyPassword("hypersigil-passwore", stored)).toBe(false);
    }
  });

  it("treats a malformed bcrypt-looking value as no hash at all", async () => {
    expect(isBcryptHash(hash.slice(0, -1))).toBe(false);
    expect(isBcryptHash("$2x$04$" + hash.slice(7))).toBe(false);
    expect(await verifyPassword("hypersigil-password", hash.slice(0, -1))).toBe(false);
  });

  it("asks for a rehash of anything but Sigil's own scrypt", async () => {
    expect(passwordNeedsRehash(hash)).toBe(true);
    expect(passwordNeedsRehash(await hashPassword("a-sigil-password"))).toBe(false);
  });
});
