import { sigilConfig } from "@sigil/eslint-config";

/**
 * Engine-neutral code (the models, the engine layer) runs its queries on SQLite and PostgreSQL:
 * only `await builder` works on both, so the SQLite-only executors are refused there
 * (docs/architecture.md, "One model body, two engines").
 */
const engineNeutral = {
  files: ["src/models/**/*.ts", "src/engine/**/*.ts"],
  // The worker index and the guards run SQLite prepared statements inside shared-store sessions
  // (models/guard-statements.ts inSharedSession): their hot paths were measured at 10,000 tenants.
  ignores: ["**/*.test.ts", "src/engine/raw.ts", "src/models/tenant-work.ts", "src/models/rate-limit.ts", "src/models/sign-in-guard.ts"],
  rules: {
    "no-restricted-syntax": [
      "error",
      {
        selector: "CallExpression[arguments.length=0][callee.property.name=/^(get|all|run|prepare)$/]",
        message: "SQLite-only executor: await the query builder instead (it runs on both engines).",
      },
      {
        selector: "CallExpression[callee.property.name=/^(all|run|get|exec|transaction)$/][callee.object.property.name=/^(db|\\$client)$/]",
        message: "SQLite-only call: use rawRows/rawRun (src/engine/raw.ts) or a session.",
      },
      {
        selector: "CallExpression[callee.property.name='limit'][arguments.length=1]:not([arguments.0.callee.name='rowLimit'])",
        message:
          "SQLite re-prepares a statement with a bound LIMIT on every call: use .limit(rowLimit(n)) (src/engine/dialect.ts), or no LIMIT for a lookup by a unique column.",
      },
    ],
  },
};

export default [...sigilConfig({ layer: "db", tsconfigRootDir: import.meta.dirname }), engineNeutral];
