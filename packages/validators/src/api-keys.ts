import { z } from "zod";
import { id, name } from "./common.ts";

export const API_KEY_SCOPES = [
  "prompts:read",
  "prompts:preview",
  "executions:run",
  "executions:read",
  "files:upload",
  "files:download",
  "deployments:run",
] as const;
export const apiKeyScope = z.enum(API_KEY_SCOPES);
export type ApiKeyScope = z.infer<typeof apiKeyScope>;

export const createApiKeyInput = z.object({
  name: name(100),
  scopes: z.array(apiKeyScope).min(1, "Choose at least one scope.").max(API_KEY_SCOPES.length),
  /** Days until the key stops working; omitted = no expiry. */
  expiresInDays: z.int().min(1).max(3650).optional(),
});
export const revokeApiKeyInput = z.object({ id });
