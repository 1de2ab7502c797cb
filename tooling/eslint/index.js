// Shared flat config. The layering rules of ARCHITECTURE.md live here so the linter, not prose,
// enforces them: only @sigil/db may touch SQLite drivers, and imports flow apps → api/client → db.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const DRIVER_IMPORTS = [
  { name: "better-sqlite3", message: "Only @sigil/db may open SQLite (ARCHITECTURE.md: layering)." },
];
const DRIVER_PATTERNS = [
  { group: ["drizzle-orm/better-sqlite3", "drizzle-orm/better-sqlite3/*", "drizzle-orm/libsql", "drizzle-orm/libsql/*", "@libsql/*"],
    message: "Only @sigil/db may import a Drizzle driver (ARCHITECTURE.md: layering)." },
];

/** @param {{ layer: "db" | "validators" | "api" | "client" | "app" | "tooling" }} options */
export function sigilConfig({ layer }) {
  /** @type {Record<string, string[]>} which internal packages each layer may not import */
  const forbiddenInternal = {
    db: ["@sigil/api", "@sigil/client", "@sigil/validators", "@sigil/web", "@sigil/cli"],
    validators: ["@sigil/api", "@sigil/client", "@sigil/db", "@sigil/web", "@sigil/cli"],
    api: ["@sigil/client", "@sigil/web", "@sigil/cli"],
    client: ["@sigil/db", "@sigil/web", "@sigil/cli"],
    app: [],
    tooling: [],
  };
  const internal = (forbiddenInternal[layer] ?? []).map((name) => ({
    group: [name, `${name}/*`],
    message: `The ${layer} layer may not import ${name} (ARCHITECTURE.md: imports flow one way).`,
  }));
  const restricted =
    layer === "db"
      ? { patterns: internal }
      : { paths: DRIVER_IMPORTS, patterns: [...DRIVER_PATTERNS, ...internal] };

  return tseslint.config(
    { ignores: ["**/node_modules/**", "**/dist/**", "**/.next/**", "**/migrations/**", "**/*.d.ts"] },
    js.configs.recommended,
    ...tseslint.configs.strict,
    {
      languageOptions: { ecmaVersion: 2023, sourceType: "module", globals: { process: "readonly", console: "readonly", URL: "readonly" } },
      rules: {
        "no-restricted-imports": ["error", restricted],
        "@typescript-eslint/no-explicit-any": "error",
        "@typescript-eslint/no-non-null-assertion": "error",
        "@typescript-eslint/consistent-type-imports": "error",
        "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
        "no-console": "off",
      },
    },
  );
}
