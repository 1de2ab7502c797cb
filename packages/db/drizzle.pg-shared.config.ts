import { defineConfig } from "drizzle-kit";

// PostgreSQL: the system and shared tables, all in schema sigil_shared.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/pg/shared/index.ts",
  schemaFilter: ["sigil_shared"],
  out: process.env.DRIZZLE_OUT ?? "./migrations/pg/shared",
});
