import type { ImportMapping } from "@sigil/validators";

/** What a source column becomes: a variable (by name), the expected output, the tags, or nothing. */
export type ColumnRole = { kind: "variable"; name: string } | { kind: "expected" } | { kind: "tags" } | { kind: "ignore" };

export function rolesOf(mapping: ImportMapping, columns: readonly string[]): Record<string, ColumnRole> {
  return Object.fromEntries(
    columns.map((column) => {
      const variable = mapping.variables[column];
      const role: ColumnRole =
        variable !== undefined
          ? { kind: "variable", name: variable }
          : mapping.expectedOutput === column
            ? { kind: "expected" }
            : mapping.tags === column
              ? { kind: "tags" }
              : { kind: "ignore" };
      return [column, role];
    }),
  );
}

export function mappingOf(roles: Record<string, ColumnRole>): ImportMapping {
  const mapping: ImportMapping = { variables: {}, expectedOutput: null, tags: null };
  for (const [column, role] of Object.entries(roles)) {
    if (role.kind === "variable") mapping.variables[column] = role.name;
    else if (role.kind === "expected") mapping.expectedOutput = column;
    else if (role.kind === "tags") mapping.tags = column;
  }
  return mapping;
}
