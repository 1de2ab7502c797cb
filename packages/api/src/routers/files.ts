import { fileModel, type FileMetadata, type FileRow } from "@sigil/db";
import { fileIdInput, listFilesInput, MAX_FILE_BYTES, uploadFileInput } from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import { authedProcedure } from "../procedures.ts";
import { recordAudit } from "../services/audit.ts";

import { storageLimitBytes, storageUsage } from "../services/quotas.ts";
import { ERRORS } from "../rest/errors.ts";
import { fileContentOutput, fileMetadataOutput } from "../rest/outputs.ts";
import { router } from "../trpc.ts";

const upload = authedProcedure({ role: "user", scope: "files:upload", feature: "files" });
const read = authedProcedure({ role: "viewer", feature: "files" });
const download = authedProcedure({ role: "viewer", scope: "files:download", feature: "files" });
const write = authedProcedure({ role: "user", feature: "files" });

const notFound = (id: string) => new TRPCError({ code: "NOT_FOUND", message: `File ${id} does not exist.` });

async function requireMetadata(id: string): Promise<FileMetadata> {
  const file = await fileModel.findMetadata(id);
  if (!file) throw notFound(id);
  return file;
}

/** Strict base64 (the validator checks the alphabet and padding; this also rejects what Buffer would skip). */
function decodeBase64(text: string): Buffer {
  const bytes = Buffer.from(text, "base64");
  if (bytes.toString("base64") !== text) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "The content is not valid base64 (standard alphabet, with = padding)." });
  }
  return bytes;
}

/** Strips the bytes from a full row (an upload returns the stored row). */
function toFileMetadata(row: FileRow): FileMetadata {
  const { content: _content, ...metadata } = row;
  return metadata;
}

function formatMb(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(2)} MB`;
}

export const filesRouter = router({
  /**
   * Stores a file sent as base64. One upload is at most MAX_FILE_BYTES; the plan's storage limit
   * applies on top, atomically (sum and insert in one transaction). Returns metadata, not bytes.
   */
  upload: upload
    .meta({
      openapi: {
        method: "POST",
        path: "/files",
        tags: ["files"],
        summary: "Upload a file",
        description:
          "JSON with the bytes in base64 (at most 10 MB of file; the request body limit is MAX_UPLOAD_BODY_BYTES). Returns the stored file's metadata.",
        errorResponses: ERRORS.upload,
      },
    })
    .input(uploadFileInput)
    .output(fileMetadataOutput)
    .mutation(async ({ ctx, input }) => {
      const content = decodeBase64(input.contentBase64);
      if (content.byteLength === 0) throw new TRPCError({ code: "BAD_REQUEST", message: "The file is empty." });
      if (content.byteLength > MAX_FILE_BYTES) {
        throw new TRPCError({
          code: "PAYLOAD_TOO_LARGE",
          message: `The file is ${formatMb(content.byteLength)}; one upload is at most ${formatMb(MAX_FILE_BYTES)}.`,
        });
      }
      const row = await fileModel.storeWithinQuota(
        { name: input.name, mimeType: input.mimeType, content, tags: input.tags, uploadedBy: ctx.user.id },
        storageLimitBytes(ctx.tenant),
      );
      await recordAudit(ctx, "file.uploaded", { type: "file", id: row.id }, { name: row.name, mimeType: row.mimeType, size: row.size, sha256: row.sha256 });
      return toFileMetadata(row);
    }),

  /** Newest first, optionally filtered by name; never returns the bytes. */
  list: read
    .input(listFilesInput.prefault({}))
    .query(({ input }) => fileModel.listMetadata({ query: input.query, page: input.page, pageSize: input.pageSize })),

  get: read.input(fileIdInput).query(({ input }) => requireMetadata(input.id)),

  /** A download by API key is audited (automation reading content); the web app's own downloads are not. */
  download: download
    .meta({
      openapi: {
        method: "GET",
        path: "/files/{id}/content",
        tags: ["files"],
        summary: "Download a file",
        description: "The file's metadata with its bytes in base64 (contentBase64).",
        errorResponses: ERRORS.read,
      },
    })
    .input(fileIdInput)
    .output(fileContentOutput)
    .query(async ({ ctx, input }) => {
      const file = await fileModel.findById(input.id);
      if (!file) throw notFound(input.id);
      if (ctx.identity.kind === "apiKey") {
        await recordAudit(ctx, "file.downloaded", { type: "file", id: file.id }, { name: file.name, size: file.size, apiKeyName: ctx.identity.apiKey.name });
      }
      return { id: file.id, name: file.name, mimeType: file.mimeType, size: file.size, sha256: file.sha256, contentBase64: file.content.toString("base64") };
    }),

  delete: write.input(fileIdInput).mutation(async ({ ctx, input }) => {
    const file = await requireMetadata(input.id);
    if (!(await fileModel.delete(file.id))) throw notFound(input.id);
    await recordAudit(ctx, "file.deleted", { type: "file", id: file.id }, { name: file.name, size: file.size });
    return { ok: true as const, id: file.id };
  }),

  /** Bytes stored against the plan's storage limit. */
  usage: read.query(({ ctx }) => storageUsage(ctx.tenant)),
});
