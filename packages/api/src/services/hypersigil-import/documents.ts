import { z } from "zod";

/**
 * hypersigil's documents (backend/src/models/*.ts) as they are stored in the `data` column: the
 * fields the import maps, everything else allowed. Dates are ISO strings (JSON.stringify of Date).
 */

const isoDate = z.iso.datetime({ offset: true }).or(z.iso.datetime());
const jsonObject = z.record(z.string(), z.unknown());
const promptOptions = z.object({ acceptFileUpload: z.boolean().optional() }).loose().nullish();

export const promptDocument = z
  .object({
    name: z.string().min(1),
    prompt: z.string(),
    json_schema_response: jsonObject.nullish(),
    json_schema_input: jsonObject.nullish(),
    options: promptOptions,
    current_version: z.int().min(1),
    versions: z
      .array(
        z
          .object({
            version: z.int().min(1),
            name: z.string().optional(),
            prompt: z.string(),
            json_schema_response: jsonObject.nullish(),
            json_schema_input: jsonObject.nullish(),
            options: promptOptions,
            created_at: isoDate.optional(),
          })
          .loose(),
      )
      .default([]),
  })
  .loose();

export const executionDocument = z
  .object({
    prompt_id: z.string().nullish(),
    prompt_version: z.int().min(1).nullish(),
    user_input: z.string().default(""),
    provider: z.string().min(1),
    model: z.string().default(""),
    status: z.enum(["pending", "running", "completed", "failed"]),
    result: z.string().nullish(),
    error_message: z.string().nullish(),
    started_at: isoDate.nullish(),
    completed_at: isoDate.nullish(),
    fileId: z.string().nullish(),
    starred: z.boolean().nullish(),
  })
  .loose();

/** hypersigil's comments (backend/src/models/comment.ts): on an execution (a selected span, or "generic") or on a prompt. */
export const commentDocument = z
  .object({
    text: z.string().trim().min(1),
    data: z.discriminatedUnion("type", [
      z.object({ type: z.literal("execution"), selected_text: z.string(), start_offset: z.int().min(0), end_offset: z.int().min(0) }).loose(),
      z.object({ type: z.literal("generic") }).loose(),
    ]),
    execution_id: z.string().nullish(),
    prompt_id: z.string().nullish(),
  })
  .loose();

export const fileDocument = z
  .object({
    name: z.string().min(1),
    originalName: z.string().nullish(),
    mimeType: z.string().min(1),
    size: z.number().optional(),
    data: z.base64(),
    uploadedBy: z.string().nullish(),
    tags: z.array(z.string()).nullish(),
  })
  .loose();

export const deploymentDocument = z
  .object({
    name: z.string().min(1),
    promptId: z.string().min(1),
    promptVersion: z.int().min(1).nullish(),
    provider: z.string().min(1),
    model: z.string().min(1),
    options: jsonObject.nullish(),
  })
  .loose();

export const userDocument = z
  .object({
    email: z.string().trim().toLowerCase().pipe(z.email()),
    name: z.string().default(""),
    role: z.enum(["admin", "user", "viewer"]),
    status: z.enum(["active", "inactive", "pending"]),
    auth: z.object({ password_hash: z.string().nullish(), last_login: isoDate.nullish() }).loose().nullish(),
    invitation: z.object({ token: z.string().nullish(), expires_at: isoDate.nullish() }).loose().nullish(),
  })
  .loose();

export const apiKeyDocument = z
  .object({
    name: z.string().default("API key"),
    key_prefix: z.string().optional(),
    user_id: z.string().min(1),
    permissions: z
      .object({ scopes: z.array(z.string()).default([]) })
      .loose()
      .nullish(),
    status: z.enum(["active", "revoked"]).default("active"),
    usage_stats: z.object({ total_requests: z.number().optional(), last_used_at: isoDate.nullish() }).loose().nullish(),
  })
  .loose();

export const settingDocument = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("llm-api-key"),
      identifier: z.string().min(1),
      provider: z.string().min(1),
      api_key: z.string(),
      active: z.boolean().default(true),
    })
    .loose(),
  z.object({ type: z.literal("webhook-destination"), identifier: z.string().min(1), url: z.string().min(1), active: z.boolean().default(true) }).loose(),
  z.object({ type: z.literal("service-api-key"), identifier: z.string().min(1), provider: z.string() }).loose(),
]);

export const testDataGroupDocument = z.object({ name: z.string().min(1), description: z.string().nullish() }).loose();

export const testDataItemDocument = z.object({ group_id: z.string().min(1), name: z.string().nullish(), content: z.string() }).loose();

export type PromptDocument = z.infer<typeof promptDocument>;
export type ExecutionDocument = z.infer<typeof executionDocument>;
export type FileDocument = z.infer<typeof fileDocument>;
export type CommentDocument = z.infer<typeof commentDocument>;
export type DeploymentDocument = z.infer<typeof deploymentDocument>;
export type UserDocument = z.infer<typeof userDocument>;
export type ApiKeyDocument = z.infer<typeof apiKeyDocument>;
export type SettingDocument = z.infer<typeof settingDocument>;
