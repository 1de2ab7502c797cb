-- The PostgreSQL form of the tenant_stats triggers of tenant migrations 0002 and 0003
-- (migrations/tenant/0002_stats_and_leases.sql, 0003_datasets_batches_reviews_webhooks.sql): the
-- running totals change in the transaction of every write, cascaded deletes included.
--
-- This folder is applied inside one tenant's schema with `SET LOCAL search_path` naming that
-- schema alone, so nothing here names a schema. `SET search_path FROM CURRENT` pins each function
-- to the schema it was created in: a trigger updates its own tenant's tenant_stats whatever
-- search_path the firing transaction has.
--
-- A dataset item's bytes are those SQLite stores: its JSON as JSON.stringify wrote it (Drizzle's
-- JSON columns), expected_output in UTF-8. jsonb keeps no text, and its ::text adds a space after
-- every ':' and ','; sigil_json_bytes measures the compact form instead (key order does not change
-- the length).
CREATE FUNCTION "sigil_json_bytes"("value" jsonb) RETURNS bigint LANGUAGE plpgsql IMMUTABLE SET search_path FROM CURRENT AS $$
BEGIN
	CASE jsonb_typeof("value")
	WHEN 'object' THEN
		RETURN 2 + coalesce((SELECT sum(octet_length(to_jsonb(e."key")::text) + 1 + sigil_json_bytes(e."item")) + count(*) - 1 FROM jsonb_each("value") AS e("key", "item")), 0);
	WHEN 'array' THEN
		RETURN 2 + coalesce((SELECT sum(sigil_json_bytes(e."item")) + count(*) - 1 FROM jsonb_array_elements("value") AS e("item")), 0);
	ELSE
		RETURN octet_length("value"::text);
	END CASE;
END;
$$;
--> statement-breakpoint
CREATE FUNCTION "dataset_item_bytes"("variables" jsonb, "expected_output" text, "tags" jsonb) RETURNS bigint LANGUAGE sql IMMUTABLE SET search_path FROM CURRENT AS $$
	SELECT sigil_json_bytes("variables") + coalesce(octet_length("expected_output"), 0) + sigil_json_bytes("tags");
$$;
--> statement-breakpoint
INSERT INTO "tenant_stats" ("id", "revision", "storage_bytes", "file_count", "prompt_count", "last_activity_at")
SELECT 1, 1,
	(SELECT coalesce(sum("size"), 0) FROM "files") + (SELECT coalesce(sum(dataset_item_bytes("variables", "expected_output", "tags")), 0) FROM "dataset_items"),
	(SELECT count(*) FROM "files"), (SELECT count(*) FROM "prompts"), (SELECT max("created_at") FROM "audit_log");
--> statement-breakpoint
CREATE FUNCTION "tenant_stats_files"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		UPDATE "tenant_stats" SET "storage_bytes" = "storage_bytes" + NEW."size", "file_count" = "file_count" + 1, "revision" = "revision" + 1 WHERE "id" = 1;
	ELSIF TG_OP = 'DELETE' THEN
		UPDATE "tenant_stats" SET "storage_bytes" = "storage_bytes" - OLD."size", "file_count" = "file_count" - 1, "revision" = "revision" + 1 WHERE "id" = 1;
	ELSE
		UPDATE "tenant_stats" SET "storage_bytes" = "storage_bytes" - OLD."size" + NEW."size", "revision" = "revision" + 1 WHERE "id" = 1;
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "tenant_stats_file_inserted" AFTER INSERT ON "files" FOR EACH ROW EXECUTE FUNCTION "tenant_stats_files"();
--> statement-breakpoint
CREATE TRIGGER "tenant_stats_file_deleted" AFTER DELETE ON "files" FOR EACH ROW EXECUTE FUNCTION "tenant_stats_files"();
--> statement-breakpoint
CREATE TRIGGER "tenant_stats_file_resized" AFTER UPDATE OF "size" ON "files" FOR EACH ROW EXECUTE FUNCTION "tenant_stats_files"();
--> statement-breakpoint
CREATE FUNCTION "tenant_stats_prompts"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		UPDATE "tenant_stats" SET "prompt_count" = "prompt_count" + 1, "revision" = "revision" + 1 WHERE "id" = 1;
	ELSE
		UPDATE "tenant_stats" SET "prompt_count" = "prompt_count" - 1, "revision" = "revision" + 1 WHERE "id" = 1;
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "tenant_stats_prompt_inserted" AFTER INSERT ON "prompts" FOR EACH ROW EXECUTE FUNCTION "tenant_stats_prompts"();
--> statement-breakpoint
CREATE TRIGGER "tenant_stats_prompt_deleted" AFTER DELETE ON "prompts" FOR EACH ROW EXECUTE FUNCTION "tenant_stats_prompts"();
--> statement-breakpoint
CREATE FUNCTION "tenant_stats_revision"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
	UPDATE "tenant_stats" SET "revision" = "revision" + 1 WHERE "id" = 1;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "tenant_stats_usage_inserted" AFTER INSERT ON "usage_counters" FOR EACH ROW EXECUTE FUNCTION "tenant_stats_revision"();
--> statement-breakpoint
CREATE TRIGGER "tenant_stats_usage_updated" AFTER UPDATE ON "usage_counters" FOR EACH ROW EXECUTE FUNCTION "tenant_stats_revision"();
--> statement-breakpoint
CREATE FUNCTION "tenant_stats_activity"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
	UPDATE "tenant_stats" SET "last_activity_at" = greatest("last_activity_at", NEW."created_at"), "revision" = "revision" + 1 WHERE "id" = 1;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "tenant_stats_activity" AFTER INSERT ON "audit_log" FOR EACH ROW EXECUTE FUNCTION "tenant_stats_activity"();
--> statement-breakpoint
CREATE FUNCTION "tenant_stats_dataset_items"() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		UPDATE "tenant_stats" SET "storage_bytes" = "storage_bytes" + dataset_item_bytes(NEW."variables", NEW."expected_output", NEW."tags"), "revision" = "revision" + 1 WHERE "id" = 1;
	ELSIF TG_OP = 'DELETE' THEN
		UPDATE "tenant_stats" SET "storage_bytes" = "storage_bytes" - dataset_item_bytes(OLD."variables", OLD."expected_output", OLD."tags"), "revision" = "revision" + 1 WHERE "id" = 1;
	ELSE
		UPDATE "tenant_stats" SET "storage_bytes" = "storage_bytes"
			- dataset_item_bytes(OLD."variables", OLD."expected_output", OLD."tags")
			+ dataset_item_bytes(NEW."variables", NEW."expected_output", NEW."tags"),
			"revision" = "revision" + 1 WHERE "id" = 1;
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "tenant_stats_dataset_item_inserted" AFTER INSERT ON "dataset_items" FOR EACH ROW EXECUTE FUNCTION "tenant_stats_dataset_items"();
--> statement-breakpoint
CREATE TRIGGER "tenant_stats_dataset_item_deleted" AFTER DELETE ON "dataset_items" FOR EACH ROW EXECUTE FUNCTION "tenant_stats_dataset_items"();
--> statement-breakpoint
CREATE TRIGGER "tenant_stats_dataset_item_updated" AFTER UPDATE OF "variables", "expected_output", "tags" ON "dataset_items" FOR EACH ROW EXECUTE FUNCTION "tenant_stats_dataset_items"();
