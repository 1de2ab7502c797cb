import { defineConfig } from "drizzle-kit";

// PostgreSQL: the isolated tables, applied inside each tenant's schema through search_path, so the
// SQL names no schema (scripts/unqualify-pg-tenant.ts removes the "public". drizzle-kit writes).
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/pg/tenant/index.ts",
  out: process.env.DRIZZLE_OUT ?? "./migrations/pg/tenant",
});
