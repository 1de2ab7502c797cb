// Shared flat config. The layering rules of docs/architecture.md (Layers) live here so the linter, not prose,
// enforces them: only @sigil/db may touch a database driver, and imports flow apps → api/client → db.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const DRIVER_IMPORTS = [
  { name: "better-sqlite3", message: "Only @sigil/db may open SQLite (docs/architecture.md: Layers)." },
  { name: "pg", message: "Only @sigil/db may open PostgreSQL (docs/architecture.md: Layers)." },
];
const DRIVER_PATTERNS = [
  {
    group: [
      "drizzle-orm/better-sqlite3",
      "drizzle-orm/better-sqlite3/*",
      "drizzle-orm/libsql",
      "drizzle-orm/libsql/*",
      "@libsql/*",
      "drizzle-orm/node-postgres",
      "drizzle-orm/node-postgres/*",
      "pg-*",
    ],
    message: "Only @sigil/db may import a Drizzle driver (docs/architecture.md: Layers).",
  },
];

/**
 * @param {{ layer: "db" | "validators" | "api" | "client" | "app" | "tooling", tsconfigRootDir: string }} options
 *   tsconfigRootDir: the folder of the calling eslint.config.js (`import.meta.dirname`), where the
 *   type-aware rules look for the tsconfig.json that covers each file.
 */
export function sigilConfig({ layer, tsconfigRootDir }) {
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
    message: `The ${layer} layer may not import ${name} (docs/architecture.md: Layers).`,
  }));
  const restricted = layer === "db" ? { patterns: internal } : { paths: DRIVER_IMPORTS, patterns: [...DRIVER_PATTERNS, ...internal] };

  return tseslint.config(
    { ignores: ["**/node_modules/**", "**/dist/**", "**/.next/**", "**/migrations/**", "**/*.d.ts"] },
    js.configs.recommended,
    ...tseslint.configs.strict,
    // Type-aware rules: they see what a value is, so they catch the promise that nobody awaits (an
    // error that vanishes, a write that races the answer) and the async function handed to a caller
    // that ignores its promise.
    ...tseslint.configs.recommendedTypeChecked,
    {
      languageOptions: {
        ecmaVersion: 2023,
        sourceType: "module",
        globals: { process: "readonly", console: "readonly", URL: "readonly" },
        parserOptions: { projectService: true, tsconfigRootDir },
      },
      rules: {
        "no-restricted-imports": ["error", restricted],
        "@typescript-eslint/no-explicit-any": "error",
        "@typescript-eslint/no-non-null-assertion": "error",
        "@typescript-eslint/consistent-type-imports": "error",
        "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
        "no-console": "off",
        "@typescript-eslint/no-floating-promises": "error",
        "@typescript-eslint/no-misused-promises": "error",
        // Off on purpose: the models run on synchronous better-sqlite3 behind the Promise-returning
        // API a networked driver needs, and providers and fakes implement Promise-returning
        // interfaces. `async` without `await` is how they do it, and it turns a thrown validation
        // error into a rejection. The rule's fix (drop `async`) would make those throw synchronously.
        "@typescript-eslint/require-await": "off",
      },
    },
    {
      // Plain JavaScript (eslint and PostCSS configs, the CommonJS Turbopack loader) is in no
      // tsconfig with checkJs, so there are no types to check it against.
      files: ["**/*.js", "**/*.cjs", "**/*.mjs"],
      ...tseslint.configs.disableTypeChecked,
    },
  );
}
