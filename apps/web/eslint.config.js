import { sigilConfig } from "@sigil/eslint-config";
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";

// The web app is the "app" layer: it talks to the API, never to SQLite or a Drizzle driver.
// Next's recommended rules (React, hooks, accessibility, Core Web Vitals) come first; the shared
// layering and strictness rules after them, so they win where both speak.
const config = [
  { ignores: [".next/**", "next-env.d.ts", "data/**"] },
  ...nextCoreWebVitals,
  ...sigilConfig({ layer: "app", tsconfigRootDir: import.meta.dirname }),
  {
    // The Turbopack loader is plain CommonJS, loaded by Next's loader runner.
    files: ["build/**/*.cjs"],
    languageOptions: { sourceType: "commonjs", globals: { module: "writable", require: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
];

export default config;
