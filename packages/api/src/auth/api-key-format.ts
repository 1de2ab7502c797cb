import { randomBytes } from "node:crypto";
import { randomToken, sha256 } from "@sigil/db";

/**
 * API keys look like `sgl_<keyId>_<secret>`: a public key id (indexed, O(1) lookup) and a
 * 256-bit secret of which only a SHA-256 hash is stored (docs/architecture.md: API keys).
 * System-admin keys use the prefix `sgla_`.
 */
export type KeyKind = "tenant" | "system";
const PREFIX: Record<KeyKind, string> = { tenant: "sgl", system: "sgla" };
const FORMAT = /^(sgla?)_([a-z0-9]{16})_([A-Za-z0-9_-]{43})$/;

export interface GeneratedKey {
  plain: string;
  keyId: string;
  secretHash: string;
}

export function generateApiKey(kind: KeyKind): GeneratedKey {
  const keyId = randomBytes(10).toString("hex").slice(0, 16);
  const secret = randomToken(32);
  return { plain: `${PREFIX[kind]}_${keyId}_${secret}`, keyId, secretHash: sha256(secret) };
}

export function parseApiKey(plain: string): { kind: KeyKind; keyId: string; secretHash: string } | null {
  const match = FORMAT.exec(plain);
  if (!match || match[2] === undefined || match[3] === undefined) return null;
  return { kind: match[1] === "sgla" ? "system" : "tenant", keyId: match[2], secretHash: sha256(match[3]) };
}
