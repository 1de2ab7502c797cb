-- The PostgreSQL form of shared migration 0005 (migrations/shared/0005_auth_cache_generation.sql):
-- one counter row that triggers add 1 to, in the transaction of any change to a tenant, a user, or
-- what decides an API key's validity, whoever makes it (src/auth-cache.ts reads it).
INSERT INTO "sigil_shared"."cache_generation" ("id", "value") VALUES (1, 0);
--> statement-breakpoint
CREATE FUNCTION "sigil_shared"."cache_generation_bump"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE "sigil_shared"."cache_generation" SET "value" = "value" + 1 WHERE "id" = 1;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "cache_generation_tenant_updated" AFTER UPDATE ON "sigil_shared"."tenants" FOR EACH ROW EXECUTE FUNCTION "sigil_shared"."cache_generation_bump"();
--> statement-breakpoint
CREATE TRIGGER "cache_generation_tenant_deleted" AFTER DELETE ON "sigil_shared"."tenants" FOR EACH ROW EXECUTE FUNCTION "sigil_shared"."cache_generation_bump"();
--> statement-breakpoint
CREATE TRIGGER "cache_generation_user_updated" AFTER UPDATE ON "sigil_shared"."users" FOR EACH ROW EXECUTE FUNCTION "sigil_shared"."cache_generation_bump"();
--> statement-breakpoint
CREATE TRIGGER "cache_generation_user_deleted" AFTER DELETE ON "sigil_shared"."users" FOR EACH ROW EXECUTE FUNCTION "sigil_shared"."cache_generation_bump"();
--> statement-breakpoint
CREATE TRIGGER "cache_generation_api_key_updated" AFTER UPDATE OF "tenant_id", "user_id", "name", "key_id", "secret_hash", "scopes", "status", "expires_at", "revoked_at" ON "sigil_shared"."api_keys" FOR EACH ROW EXECUTE FUNCTION "sigil_shared"."cache_generation_bump"();
--> statement-breakpoint
CREATE TRIGGER "cache_generation_api_key_deleted" AFTER DELETE ON "sigil_shared"."api_keys" FOR EACH ROW EXECUTE FUNCTION "sigil_shared"."cache_generation_bump"();
