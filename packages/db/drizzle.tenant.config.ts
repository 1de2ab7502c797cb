import { defineConfig } from "drizzle-kit";

// tenant_<uuid>.sqlite: the isolated models, applied to every tenant file.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/schema/tenant/index.ts",
  out: process.env.DRIZZLE_OUT ?? "./migrations/tenant",
});
