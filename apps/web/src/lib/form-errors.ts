/** Field errors as forms show them: the first message per field. */
export type FieldErrors = Record<string, string | undefined>;

/**
 * zod issues of a client-side check (with the API's own schema, before the round trip) → field
 * errors. `key: "field"` files an issue under its top-level field (`settings.limits.users` →
 * `settings`); `"path"` under its whole dotted path, for forms with nested fields. An issue of
 * the whole input lands under "form".
 */
export function issuesByField(issues: readonly { path: readonly PropertyKey[]; message: string }[], key: "field" | "path" = "field"): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const name = key === "field" ? String(issue.path[0] ?? "form") : issue.path.map(String).join(".") || "form";
    errors[name] ??= issue.message;
  }
  return errors;
}
