import { defineConfig } from "drizzle-kit";

// shared.sqlite: the tenant registry (system) and the tenant_id-scoped shared models.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/schema/shared/index.ts",
  out: process.env.DRIZZLE_OUT ?? "./migrations/shared",
});
