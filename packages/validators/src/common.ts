import { z } from "zod";

/** The registry's ids and every row id are UUIDs. */
export const id = z.uuid({ error: "Must be a valid id." });

/** docs/architecture.md (Slugs are validated, never cleaned): validated and rejected, never stripped to fit. Mirrors @sigil/db's SLUG_PATTERN. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/;
export const RESERVED_SLUGS = ["www", "api", "admin", "app", "static", "assets", "tenant"] as const;

export const slug = z
  .string()
  .min(1, "The slug is required.")
  .max(50, "The slug is at most 50 characters.")
  .regex(SLUG_PATTERN, "Use lower-case letters, digits and inner hyphens only.")
  .refine((value) => !(RESERVED_SLUGS as readonly string[]).includes(value), "This slug is reserved.");

export const pagination = z.object({
  page: z.int().min(1).default(1),
  pageSize: z.int().min(1).max(100).default(20),
});
export type PaginationInput = z.infer<typeof pagination>;

/** A trimmed, non-empty name of bounded length. */
export const name = (max = 200) => z.string().trim().min(1, "A name is required.").max(max, `At most ${max} characters.`);

export const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "Enter a valid email address." }).max(254));

/** Template variables and execution input: a JSON object of string keys. */
export const variables = z.record(z.string().max(200), z.unknown()).default({});

/**
 * Most procedures one tRPC batch request may call. The API refuses longer batches (400); the web
 * app's and @sigil/client's batch links split theirs at this size.
 */
export const MAX_BATCH_SIZE = 20;
