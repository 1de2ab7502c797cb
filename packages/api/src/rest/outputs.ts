import { EXECUTION_STATUSES, REVIEW_STATUSES } from "@sigil/validators";
import { z } from "zod";

/**
 * What the REST-exposed procedures return, as zod schemas: tRPC checks each answer against them
 * (`.output(...)`), and the OpenAPI document (openapi.ts) turns them into response schemas.
 * They describe the rows exactly as the models return them, so tRPC clients receive the same
 * objects as before; outputs.test.ts compares them with the tables' columns, so a new column
 * cannot be stripped from the answers unnoticed.
 * Dates are `Date` objects for tRPC (superjson keeps them); over REST they are ISO 8601 strings.
 */
export const timestamp = z.date().meta({ description: "ISO 8601 date and time (UTC).", override: { type: "string", format: "date-time" } });
export const userId = z.string().nullable().meta({ description: "Id of the user, or null when the user was deleted." });
export const jsonObject = z.record(z.string(), z.unknown());

export const promptOutput = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    template: z.string().meta({ description: "Mustache template of the current version." }),
    responseSchema: jsonObject.nullable().meta({ description: "JSON Schema the response must follow, or null." }),
    inputSchema: jsonObject.nullable().meta({ description: "JSON Schema the input variables of an execution must follow, or null." }),
    acceptsFiles: z.boolean(),
    currentVersion: z.int(),
    createdBy: userId,
    updatedBy: userId,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Prompt" });

export const promptVersionOutput = z
  .object({
    id: z.string(),
    promptId: z.string(),
    version: z.int(),
    name: z.string(),
    description: z.string(),
    template: z.string(),
    responseSchema: jsonObject.nullable(),
    inputSchema: jsonObject.nullable(),
    acceptsFiles: z.boolean(),
    createdBy: userId,
    changeNote: z.string().meta({ description: 'Why this version exists: "create", "update", "restore of vN" or the author\'s note.' }),
    createdAt: timestamp,
  })
  .meta({ id: "PromptVersion" });

export const executionOutput = z
  .object({
    id: z.string(),
    promptId: z.string(),
    promptVersion: z.int(),
    deploymentId: z.string().nullable(),
    input: jsonObject,
    options: jsonObject,
    fileIds: z.array(z.string()),
    provider: z.string(),
    model: z.string(),
    status: z.enum(EXECUTION_STATUSES),
    result: z.string().nullable(),
    error: z.string().nullable(),
    attempts: z.int(),
    inputTokens: z.int().nullable(),
    outputTokens: z.int().nullable(),
    costUsd: z.number().nullable().meta({ description: "US dollars, from the installation's price table; null when no price is known." }),
    latencyMs: z.int().nullable(),
    valid: z.boolean().nullable().meta({ description: "Whether the result follows the version's response schema; null when it has none." }),
    validationErrors: z.array(z.object({ path: z.string(), message: z.string() })).nullable(),
    starred: z.boolean(),
    reviewStatus: z.enum(REVIEW_STATUSES),
    batchRunId: z.string().nullable(),
    datasetItemId: z.string().nullable(),
    targetIndex: z.int().nullable(),
    claimedBy: z.string().nullable(),
    leaseExpiresAt: timestamp.nullable(),
    createdBy: userId,
    startedAt: timestamp.nullable(),
    completedAt: timestamp.nullable(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Execution" });

export const fileMetadataOutput = z
  .object({
    id: z.string(),
    name: z.string(),
    mimeType: z.string(),
    size: z.int().meta({ description: "Bytes." }),
    sha256: z.string().meta({ description: "SHA-256 of the content, hex." }),
    uploadedBy: userId,
    tags: z.array(z.string()),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "FileMetadata" });

export const fileContentOutput = z
  .object({
    id: z.string(),
    name: z.string(),
    mimeType: z.string(),
    size: z.int(),
    sha256: z.string(),
    contentBase64: z.string().meta({ description: "The file's bytes, base64 (standard alphabet, padded)." }),
  })
  .meta({ id: "FileContent" });

/** One page of a list: the rows and where the page sits. */
export function pageOutput<T extends z.ZodType>(row: T, id: string) {
  return z
    .object({
      data: z.array(row),
      total: z.int().meta({ description: "Rows in all pages." }),
      page: z.int(),
      pageSize: z.int(),
      totalPages: z.int(),
    })
    .meta({ id });
}
