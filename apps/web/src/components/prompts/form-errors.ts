import { fieldErrorsOf, trpcErrorCode } from "@/lib/trpc-errors";

/**
 * A prompt form's server error, split for display: zod field errors next to their fields, a name
 * conflict next to "Name", a template the server cannot parse next to "Template", a response or
 * input schema that does not compile next to its field; anything else above the form, with the
 * server's message.
 */
export function promptFormErrors(error: unknown): { fieldErrors: Record<string, string | undefined>; formError: unknown } {
  if (error === null || error === undefined) return { fieldErrors: {}, formError: null };
  const fieldErrors = fieldErrorsOf(error);
  if (Object.keys(fieldErrors).length > 0) return { fieldErrors, formError: null };
  const message = error instanceof Error ? error.message : "";
  const code = trpcErrorCode(error);
  if (code === "CONFLICT" && /named/.test(message)) return { fieldErrors: { name: message }, formError: null };
  if (code === "BAD_REQUEST" && /^The response schema/.test(message)) return { fieldErrors: { responseSchema: message }, formError: null };
  if (code === "BAD_REQUEST" && /^The input schema/.test(message)) return { fieldErrors: { inputSchema: message }, formError: null };
  if (code === "BAD_REQUEST" && /template/i.test(message)) return { fieldErrors: { template: message }, formError: null };
  return { fieldErrors: {}, formError: error };
}

/** Errors without the given fields' (a field's own error goes once the user edits it). */
export function withoutFields(errors: Readonly<Record<string, string | undefined>>, fields: readonly string[]): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(errors).filter(([field]) => !fields.includes(field)));
}
