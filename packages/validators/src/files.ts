import { z } from "zod";
import { id, pagination } from "./common.ts";

/** One upload's ceiling; the tenant's storage quota applies on top. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export const uploadFileInput = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .refine((value) => !/[/\\\0]/.test(value), "A file name cannot contain / \\ or NUL."),
    mimeType: z
      .string()
      .trim()
      .min(1)
      .max(255)
      .regex(/^[\w.+-]+\/[\w.+-]+$/, "Not a MIME type."),
    /** The bytes, base64-encoded. */
    contentBase64: z
      .string()
      .max(Math.ceil(MAX_FILE_BYTES / 3) * 4, "The file is larger than 10 MB.")
      .base64("The content must be base64."),
    tags: z.array(z.string().trim().min(1).max(50)).max(20).default([]),
  })
  .meta({ examples: [{ name: "notes.txt", mimeType: "text/plain", contentBase64: "aGVsbG8=" }] });
export const listFilesInput = pagination.extend({ query: z.string().trim().max(200).optional() });
export const fileIdInput = z.object({ id });
