import { pgSchema } from "drizzle-orm/pg-core";

/**
 * System and shared tables live in one PostgreSQL schema (the django-tenants layout); each
 * tenant's isolated tables live in a schema of their own, chosen per transaction (../tenant).
 */
export const sigilShared = pgSchema("sigil_shared");
