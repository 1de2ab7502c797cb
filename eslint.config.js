import { sigilConfig } from "@sigil/eslint-config";

// Root-level code (bench/, e2e/) is an app layer: it may not open SQLite itself.
export default [{ ignores: ["apps/**", "packages/**", "tooling/**"] }, ...sigilConfig({ layer: "app", tsconfigRootDir: import.meta.dirname })];
