import { apiKeyModel } from "@sigil/db";
import { createApiKeyInput, revokeApiKeyInput } from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import { generateApiKey } from "../auth/api-key-format.ts";
import { authedProcedure } from "../procedures.ts";
import { recordAudit } from "../services/audit.ts";
import { toPublicApiKey } from "../services/public-shapes.ts";
import { router } from "../trpc.ts";

const adminOnly = authedProcedure({ role: "admin" });
const DAY_MS = 86_400_000;

export const apiKeysRouter = router({
  /** Creates a key acting as the calling admin, limited to `scopes`. The plain key is returned once. */
  create: adminOnly.input(createApiKeyInput).mutation(async ({ ctx, input }) => {
    const generated = generateApiKey("tenant");
    const key = await apiKeyModel.create({
      userId: ctx.user.id,
      name: input.name,
      keyId: generated.keyId,
      secretHash: generated.secretHash,
      scopes: [...new Set(input.scopes)],
      expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * DAY_MS) : null,
    });
    await recordAudit(ctx, "api_key.created", { type: "api_key", id: key.id }, { name: key.name, scopes: key.scopes });
    return { key: toPublicApiKey(key), plainKey: generated.plain };
  }),

  list: adminOnly.query(async () => {
    const keys = await apiKeyModel.findMany({ orderBy: { column: "createdAt", direction: "desc" } });
    return keys.map(toPublicApiKey);
  }),

  revoke: adminOnly.input(revokeApiKeyInput).mutation(async ({ ctx, input }) => {
    const key = await apiKeyModel.findById(input.id);
    if (!key) throw new TRPCError({ code: "NOT_FOUND", message: "No such API key in this workspace." });
    if (key.status === "revoked") return toPublicApiKey(key);
    const revoked = await apiKeyModel.update(key.id, { status: "revoked", revokedAt: new Date() });
    if (!revoked) throw new TRPCError({ code: "NOT_FOUND", message: "No such API key in this workspace." });
    await recordAudit(ctx, "api_key.revoked", { type: "api_key", id: key.id }, { name: key.name });
    return toPublicApiKey(revoked);
  }),

  /** Removes a revoked or expired key from the list; an active key is revoked first. */
  delete: adminOnly.input(revokeApiKeyInput).mutation(async ({ ctx, input }) => {
    const key = await apiKeyModel.findById(input.id);
    if (!key) throw new TRPCError({ code: "NOT_FOUND", message: "No such API key in this workspace." });
    const expired = key.expiresAt !== null && key.expiresAt <= new Date();
    if (key.status !== "revoked" && !expired) throw new TRPCError({ code: "BAD_REQUEST", message: `Revoke the key "${key.name}" before deleting it.` });
    await apiKeyModel.delete(key.id);
    await recordAudit(ctx, "api_key.deleted", { type: "api_key", id: key.id }, { name: key.name });
    return { id: key.id };
  }),
});
